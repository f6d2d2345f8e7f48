// CPU time of this process split into the main thread and all other threads (worker threads, V8's
// GC and compiler threads, libuv's pool), from Linux's per-thread counters. Wall-clock rates on a
// shared machine swing with the load; CPU seconds per span say what a piece of work costs.

import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  readonly mainS: number;
  readonly otherS: number;
  /** CPU seconds per thread id (the main thread's id is the process id). */
  readonly byThread: ReadonlyMap<number, number>;
}

/** undefined where /proc has no per-thread counters (not Linux). */
export function threadCpu(): ThreadCpu | undefined {
  let mainS = 0;
  let otherS = 0;
  const byThread = new Map<number, number>();
  try {
    const hz = 100; // USER_HZ: the unit of utime/stime on Linux
    for (const tid of readdirSync('/proc/self/task')) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // the thread ended meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / hz;
      byThread.set(Number(tid), seconds);
      if (Number(tid) === process.pid) mainS += seconds;
      else otherS += seconds;
    }
  } catch {
    return undefined;
  }
  return { mainS, otherS, byThread };
}

/** CPU used between two readings; threads that ended in between are missing from `otherS`. */
export function threadCpuSince(start: ThreadCpu | undefined): ThreadCpu | undefined {
  const now = threadCpu();
  if (start === undefined || now === undefined) return undefined;
  const byThread = new Map<number, number>();
  for (const [tid, s] of now.byThread) byThread.set(tid, s - (start.byThread.get(tid) ?? 0));
  return { mainS: now.mainS - start.mainS, otherS: Math.max(0, now.otherS - start.otherS), byThread };
}
