// What the namespace tests and the bench share to make a "Pod" without
// containers: a holder process in new network, IPC and UTS namespaces (the
// pause container's part), and unprivileged processes that join it.
import { chownSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The holder: brings loopback up, says "ready", then sleeps like the pause container. */
export const HOLDER = ['sh', '-c', 'ip link set lo up && echo ready && exec sleep infinity'];

export const NAMESPACE_TOOLS: Array<[tool: string, debianPackage: string]> = [
  ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'],
  ['setpriv', 'util-linux'],
  ['ip', 'iproute2'],
  ['prlimit', 'util-linux'],
];

/** True when every directory down to `path` lets other users through, so an unprivileged UID can run files below it. */
export function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/** A new folder owned by `uid`, standing for the Pod's emptyDir (the app's STATE_DIR). */
export function podStateDir(label: string, uid: number): string {
  const folder = mkdtempSync(join(tmpdir(), `podmates-${label}-`));
  chownSync(folder, uid, uid);
  return folder;
}

/**
 * `setpriv` arguments that run a command as `uid` with no capabilities at all,
 * as a container does; UID 0 without capabilities has no CAP_SYS_RESOURCE either.
 */
export function withoutPrivileges(uid: number): string[] {
  return ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs'];
}
