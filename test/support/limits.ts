// A container's CPU and memory limits, as cgroups the kernel enforces: a CPU
// quota (500m: 50 ms of every 100 ms) and a memory limit. cgroup v1 (this
// project's CI host) has a hierarchy per controller; v2 has one for both.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup';

export class ContainerLimits {
  private constructor(
    private readonly dirs: { cpu: string; memory: string },
    private readonly v2: boolean,
  ) {}

  /** `millicores` as in `limits.cpu: 500m`, `memoryBytes` as in `limits.memory`. */
  static create(name: string, millicores: number, memoryBytes: number): ContainerLimits {
    const v2 = existsSync(join(ROOT, 'cgroup.controllers'));
    const dirs = v2
      ? { cpu: join(ROOT, name), memory: join(ROOT, name) }
      : { cpu: join(ROOT, 'cpu', name), memory: join(ROOT, 'memory', name) };
    for (const dir of new Set(Object.values(dirs))) mkdirSync(dir, { recursive: true });
    const quota = millicores * 100; // of a 100,000 µs period
    if (v2) {
      writeFileSync(join(dirs.cpu, 'cpu.max'), `${quota} 100000`);
      writeFileSync(join(dirs.memory, 'memory.max'), String(memoryBytes));
    } else {
      writeFileSync(join(dirs.cpu, 'cpu.cfs_period_us'), '100000');
      writeFileSync(join(dirs.cpu, 'cpu.cfs_quota_us'), String(quota));
      writeFileSync(join(dirs.memory, 'memory.limit_in_bytes'), String(memoryBytes));
    }
    return new ContainerLimits(dirs, v2);
  }

  /** The cgroup.procs files a process writes itself into (PodBox.start). */
  get procs(): string[] {
    return [...new Set(Object.values(this.dirs))].map((dir) => join(dir, 'cgroup.procs'));
  }

  get peakMemoryBytes(): number {
    return Number(readFileSync(join(this.dirs.memory, this.v2 ? 'memory.peak' : 'memory.max_usage_in_bytes'), 'utf8').trim());
  }

  /** Times the kernel killed a process in it for memory (v1: failcnt counts hits of the limit). */
  get oomKills(): number {
    if (!this.v2) return Number(/oom_kill (\d+)/.exec(readFileSync(join(this.dirs.memory, 'memory.oom_control'), 'utf8'))?.[1] ?? 0);
    return Number(/oom_kill (\d+)/.exec(readFileSync(join(this.dirs.memory, 'memory.events'), 'utf8'))?.[1] ?? 0);
  }

  remove(): void {
    for (const dir of new Set(Object.values(this.dirs))) {
      try {
        rmdirSync(dir);
      } catch {
        // Busy or gone: the kernel keeps an empty cgroup harmlessly.
      }
    }
  }
}
