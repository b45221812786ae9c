/**
 * CPU time and peak memory of local processes, read from Linux's /proc (no dependency).
 * utime and stime are in clock ticks; USER_HZ is 100 on every Linux this runs on (`getconf
 * CLK_TCK`), read once and falling back to 100.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

interface ProcStat {
  readonly ppid: number;
  /** utime + stime of the process itself, in ticks. */
  readonly own: number;
  /** cutime + cstime: its children that exited and were waited for, in ticks. */
  readonly reaped: number;
}

/** Fields after the command name (which may hold spaces and parentheses): see proc(5). */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3] ?? Number.NaN);
  return { ppid: field(4), own: field(14) + field(15), reaped: field(16) + field(17) };
}

/** User + system CPU seconds of one process (not its children); NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  const stat = readStat(pid);
  return stat ? stat.own / clockTicks() : Number.NaN;
}

/**
 * CPU seconds of a process and every direct child of it, living or reaped (PostgreSQL: the
 * postmaster and its backends). Children that exit between two readings are counted through the
 * parent's cutime once reaped, so a difference of two readings is close, not exact.
 */
export function treeCpuSeconds(rootPid: number): number {
  const root = readStat(rootPid);
  if (!root) return Number.NaN;
  let ticks = root.own + root.reaped;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid === rootPid) ticks += stat.own + stat.reaped;
  }
  return ticks / clockTicks();
}

/** Peak resident set size (VmHWM) in MiB since the process started; NaN when unreadable. */
export function peakRssMiB(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
