// Where each target keeps the tenant's ledger, and how it is started again on the same
// storage: for tests that stop a target, edit its stored database, and start it again.
import assert from "node:assert/strict";
import { join } from "node:path";

import { readSqliteFile, rows, sqliteFilesUnder } from "./sqlite-file.mjs";

const hasAuditTable = (db) => rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit'").length === 1;

// kind: "native" | "worker"; dir: a directory of the test's own.
// → {options (for startTarget), ledgerFile() → the path of acme's ledger database}
export function ledgerStore(kind, dir) {
  if (kind === "native") {
    const db = join(dir, "frontdesk.db");
    return { options: { db }, ledgerFile: async () => `${db}.objects/ledger/acme.sqlite` };
  }
  return {
    options: { persistDir: dir },
    // The Durable Object's own SQLite file: the one (of the ledger's and the calls') with
    // an audit table.
    ledgerFile: async () => {
      const found = [];
      for (const file of sqliteFilesUnder(join(dir, "do"))) {
        if (file.endsWith("metadata.sqlite")) continue;
        if (await readSqliteFile(file, hasAuditTable)) found.push(file);
      }
      assert.equal(found.length, 1, `one Durable Object database with an audit table: ${found.join(", ")}`);
      return found[0];
    },
  };
}
