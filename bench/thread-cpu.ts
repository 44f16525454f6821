// CPU time per thread of a process (Linux /proc), to say where a benchmark's time goes: the server's event loop, its
// writer thread, everything else (V8's and libuv's helpers), and the benchmark's own process. Elsewhere it reads
// nothing and the benchmark prints no breakdown.
import { readdirSync, readFileSync } from "node:fs";

/** CPU milliseconds (user + system) of each thread of `pid`, by thread id; empty where /proc is missing. */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // The fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are fields 14 and 15 of the line, in clock ticks (USER_HZ, 100 on Linux).
      out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

export interface CpuSplit {
  /** The process's main thread: its event loop. */
  main: number;
  /** The busiest other thread (the server's writer thread). */
  busiest: number;
  /** Every other thread (GC and compiler helpers, libuv's pool). */
  rest: number;
}

/** The CPU milliseconds `pid`'s threads spent between two threadCpuMs() readings. */
export function cpuSplit(pid: number, before: Map<number, number>, after: Map<number, number>): CpuSplit {
  let main = 0;
  const others: number[] = [];
  for (const [tid, ms] of after) {
    const spent = ms - (before.get(tid) ?? 0);
    if (tid === pid) main = spent;
    else others.push(spent);
  }
  others.sort((a, b) => b - a);
  const busiest = others[0] ?? 0;
  return { main, busiest, rest: others.slice(1).reduce((a, b) => a + b, 0) };
}
