// The processes the caller can see: its pid namespace's. With
// shareProcessNamespace a Pod's containers and its sandbox (pause, PID 1)
// share one, and what /proc shows of a process, the same UID can read: its
// command line, its environment, its root filesystem.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessSeen {
  pid: number;
  uid: number;
  command: string;
}

export function listProcesses(): ProcessSeen[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
        return [{ pid: Number(name), uid, command }];
      } catch {
        return []; // it exited while we looked
      }
    })
    .sort((a, b) => a.pid - b.pid);
}

/** What another process exposes through /proc: the names in its environment and the top of its root filesystem. */
export function peek(pid: number): { environ: string[] | { error: string }; root: string[] | { error: string } } {
  const attempt = <T>(read: () => T): T | { error: string } => {
    try {
      return read();
    } catch (error) {
      return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
    }
  };
  return {
    // Names only: values may be secrets.
    environ: attempt(() =>
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((entry) => entry.split('=')[0]!),
    ),
    root: attempt(() => readdirSync(`/proc/${pid}/root`).sort()),
  };
}
