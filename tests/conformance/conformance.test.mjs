// `node --test tests/conformance/` only picks files named *.test.mjs (Node 20): this one
// runs the corpus runner, run.mjs.
import "./run.mjs";
