// CPU a process has spent (user + system), from /proc: how tests tell that a target sits
// idle. The Worker target's CPU is workerd's, the child Miniflare started.
import { readdirSync, readFileSync } from "node:fs";

// Clock ticks per second: 100 on Linux (sysconf(_SC_CLK_TCK)).
const TICKS_PER_S = 100;

// Fields after the command name, which is in parentheses and may hold spaces.
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

export function cpuMs(pid) {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

// The workerd process that this Node process started (Miniflare's runtime).
export function workerdPid() {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      const name = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (Number(fields[1]) === process.pid && name.startsWith("workerd")) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error("no workerd process started by this test");
}

// The process whose CPU a target spends.
export const targetPid = (t) => (t.kind === "native" ? t.target.pid : workerdPid());
