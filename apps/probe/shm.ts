// POSIX shared memory is a file on the tmpfs mounted at /dev/shm: shm_open(3)
// opens /dev/shm/<name>. Every container of a Pod sees the same one because
// the runtime mounts the Pod sandbox's /dev/shm into each of them (sized by the
// runtime: 64 MiB on containerd and Docker), so a file written here is the
// shared segment, and the mount's device number says which tmpfs it is.
import { readFileSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SHM = '/dev/shm';

export interface ShmMount {
  /** st_dev of /dev/shm, "major:minor": the same in two containers means the same tmpfs. */
  device: string;
  sizeBytes: number;
}

export function shmMount(): ShmMount {
  const { dev } = statSync(SHM);
  const { bsize, blocks } = statfsSync(SHM);
  // Linux's dev_t: minor in bits 0-7 and 20-31, major in bits 8-19.
  return { device: `${(dev >> 8) & 0xfff}:${(dev & 0xff) | ((dev >> 12) & 0xfff00)}`, sizeBytes: bsize * blocks };
}

/** A name under /dev/shm only: no path tricks. */
function segment(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`a shared memory name is letters, digits, "_", "." or "-", got ${JSON.stringify(name)}`);
  return join(SHM, name);
}

export function shmWrite(name: string, text: string): ShmMount & { path: string; bytes: number } {
  const path = segment(name);
  writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  return { path, bytes: Buffer.byteLength(text), ...shmMount() };
}

export function shmRead(name: string): ShmMount & { ok: boolean; text?: string; error?: string } {
  try {
    return { ok: true, text: readFileSync(segment(name), 'utf8'), ...shmMount() };
  } catch (error) {
    return { ok: false, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message, ...shmMount() };
  }
}

export function shmRemove(name: string): { removed: boolean } {
  rmSync(segment(name), { force: true });
  return { removed: true };
}
