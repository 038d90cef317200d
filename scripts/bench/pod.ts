// The bench's "Pod in a box", as in test/support/pod-box.ts: a holder process in
// new network, IPC and UTS namespaces stands for the pause container, and every
// process of the bench joins it with nsenter, unprivileged and without capabilities.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { HOLDER, NAMESPACE_TOOLS, podStateDir, reachableByOthers, withoutPrivileges } from '../lib/namespaces.js';

/**
 * The UID the bench's processes run as. Not the services' 10001: the queues are
 * charged to their UID's RLIMIT_MSGQUEUE (819200 bytes, about nine queues), and
 * a namespace test running meanwhile must not run out because of the bench.
 */
export const BENCH_UID = 10002;

/** Why the bench cannot run here, or null when it can. */
export function benchBlocker(): string | null {
  if (process.platform !== 'linux') return `it needs Linux namespaces; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'creating namespaces with unshare/nsenter needs root';
  const tools: Array<[string, string]> = [...NAMESPACE_TOOLS, ['gcc', 'gcc'], ['redis-server', 'redis-server']];
  for (const [tool, pkg] of tools) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install ${pkg})`;
  }
  return null;
}

export class Holder {
  private readonly children = new Set<ChildProcess>();
  private readonly folders: string[] = [];

  private constructor(
    readonly pid: number,
    private readonly holder: ChildProcess,
    private readonly uid: number,
    private readonly nice: number,
  ) {}

  /** A new "Pod": fresh net, IPC and UTS namespaces with loopback up. `dist` must be readable by the bench UID. */
  static async create(dist: string, nice = 0): Promise<Holder> {
    const holder = spawn('unshare', ['--net', '--ipc', '--uts', '--', ...HOLDER], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`the namespace holder exited (${code})`)));
      holder.once('error', reject);
    });
    // Below a private directory (e.g. /root) the bench UID could not read dist/: then UID 0, still without capabilities.
    return new Holder(holder.pid!, holder, reachableByOthers(dist) ? BENCH_UID : 0, nice);
  }

  /** Starts `argv` inside the namespaces as an unprivileged process, on `cpu` alone when given; stdout and stderr are piped. */
  run(argv: string[], env: Record<string, string> = {}, cpu?: number): ChildProcess {
    const privileges = withoutPrivileges(this.uid);
    // nice runs before setpriv drops the capabilities: a negative niceness needs CAP_SYS_NICE.
    const nice = this.nice === 0 ? [] : ['nice', '-n', String(this.nice)];
    const pinned = cpu === undefined ? [] : ['taskset', '--cpu-list', String(cpu)];
    const child = spawn('nsenter', ['-t', String(this.pid), '-n', '-i', '-u', '--', ...nice, ...pinned, ...privileges, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** A folder the holder's processes may write, like the Pod's emptyDir (the app's STATE_DIR); removed on dispose. */
  stateDir(): string {
    const folder = podStateDir('bench-state', this.uid);
    this.folders.push(folder);
    return folder;
  }

  dispose(): void {
    for (const child of this.children) child.kill('SIGKILL');
    this.holder.kill('SIGKILL');
    for (const folder of this.folders) rmSync(folder, { recursive: true, force: true });
  }
}

export interface Finished {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits; kills it after `timeoutMs`. */
export function finished(child: ChildProcess, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves when a line of stdout contains `marker`; rejects if the child exits or `timeoutMs` passes first. */
export function waitForOutput(child: ChildProcess, marker: string, timeoutMs: number, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(`${label} did not print "${marker}" within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes(marker)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(`${label} exited (${code}) before it was ready`);
    let errors = '';
    const onError = (chunk: Buffer) => (errors += chunk.toString('utf8'));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
    };
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why}\n${seen}${errors}`.trim()));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}

/** A memory field of /proc/<pid>/status in KiB (VmRSS: now, VmHWM: the peak), or null when the process is gone. */
export function statusKiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | null {
  if (pid === undefined) return null;
  try {
    return statusField(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return null;
  }
}

/** Peak resident set size (VmHWM) of a live process, KiB; null once it is gone. */
export function peakRssKiB(pid: number | undefined): number | null {
  return statusKiB(pid, 'VmHWM');
}

/** CPU time (user + system) in seconds from the text of /proc/<pid>/stat. */
export function statCpuSeconds(stat: string): number {
  // Fields after "(comm) ": state is the 3rd field, utime the 14th, stime the 15th; in clock ticks (USER_HZ, 100 on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A memory field in KiB from the text of /proc/<pid>/status, or null. */
export function statusField(status: string, field: 'VmRSS' | 'VmHWM'): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : null;
}

/** CPU time (user + system) a live process has used, in seconds; null once it is gone. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
