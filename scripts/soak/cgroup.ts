// A memory cgroup per service, as a container has: the soak reads what the
// kernel charges to it (memory.peak on cgroup v2, memory.max_usage_in_bytes on
// v1), which is what a container's memory limit is checked against, page cache
// (the journal's writes) included.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

export class MemoryCgroup {
  private constructor(
    readonly path: string,
    private readonly v2: boolean,
  ) {}

  /** A new memory cgroup; null where cgroups cannot be made (not root, no memory controller). */
  static create(name: string): MemoryCgroup | null {
    const v2 = existsSync(join(CGROUP_ROOT, 'cgroup.controllers'));
    const path = v2 ? join(CGROUP_ROOT, name) : join(CGROUP_ROOT, 'memory', name);
    try {
      mkdirSync(path, { recursive: true });
      return new MemoryCgroup(path, v2);
    } catch {
      return null;
    }
  }

  /** Moves `pid` in; call it right after the process is spawned, before it has touched much memory (charges do not move with it). */
  join(pid: number): void {
    writeFileSync(join(this.path, 'cgroup.procs'), String(pid));
  }

  private read(v2File: string, v1File: string): number {
    return Number(readFileSync(join(this.path, this.v2 ? v2File : v1File), 'utf8').trim());
  }

  get currentBytes(): number {
    return this.read('memory.current', 'memory.usage_in_bytes');
  }

  get peakBytes(): number {
    return this.read('memory.peak', 'memory.max_usage_in_bytes');
  }

  /** Removes the cgroup once its processes have exited. */
  remove(): void {
    try {
      rmdirSync(this.path);
    } catch {
      // Still busy or already gone: the kernel keeps an empty cgroup harmlessly.
    }
  }
}
