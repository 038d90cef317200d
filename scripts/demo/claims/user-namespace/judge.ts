// 5x's judge: a Pod with `hostUsers: false` has a user namespace of its own,
// shared by its containers, and its UIDs are a range of the node's no other
// Pod has.

/** One line of /proc/<pid>/uid_map: `inside` and up are `outside` and up on the node, `count` of them. */
export interface UidRange {
  inside: number;
  outside: number;
  count: number;
}

/** The ranges of a uid_map; null when a line is not three numbers. */
export function parseUidMap(text: string): UidRange[] | null {
  const lines = text.trim().split('\n');
  const ranges = lines.map((line) => line.trim().split(/\s+/).map(Number));
  if (ranges.some((numbers) => numbers.length !== 3 || numbers.some((n) => !Number.isInteger(n)))) return null;
  return ranges.map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

/** A container as seen from inside it: its user namespace, its uid_map and its UID; and its net and IPC namespaces, to compare with the sandbox's. */
export interface ContainerUsers {
  userns: string;
  uidMap: string;
  uid: number;
  net: string;
  ipc: string;
}

/** The Pod's sandbox seen from the node: its main process (its pid and command) and the namespaces it holds. */
export interface SandboxSeen {
  pid: number;
  command: string;
  user: string;
  net: string;
  ipc: string;
}

export interface UserNamespaceSeen {
  app: ContainerUsers;
  sidecar: ContainerUsers;
  /** The node's own user namespace (its PID 1's), and the probe Pod's, which has hostUsers left at true. */
  node: string;
  outside: string;
  /** The UID the app's process has on the node (its /proc entry's owner there). */
  appOnNode: number;
  /** The app of a second Pod of the same Deployment. */
  other: ContainerUsers;
  sandbox: SandboxSeen;
}

/** The one range a Pod's user namespace maps, or a problem; `who` names the Pod. */
function podRange(who: string, seen: ContainerUsers): UidRange | string {
  const ranges = parseUidMap(seen.uidMap);
  if (!ranges) return `${who}'s uid_map is not lines of three numbers: ${JSON.stringify(seen.uidMap)}`;
  const [range] = ranges;
  if (ranges.length !== 1 || !range) return `${who}'s uid_map has ${ranges.length} lines, where a Pod's user namespace maps one range`;
  if (range.outside === 0 && range.inside === 0)
    return `${who}'s uid_map maps UIDs 0-${range.count - 1} to the same node UIDs: no user namespace of its own`;
  return range;
}

export function judgeUserNamespace(seen: UserNamespaceSeen): string[] {
  const problems: string[] = [];
  const { app, sidecar, other } = seen;
  if (app.userns !== sidecar.userns)
    problems.push(`the app is in ${app.userns} and the sidecar in ${sidecar.userns}: a Pod's containers share its user namespace`);
  if (app.userns === seen.node)
    problems.push(`the app is in the node's user namespace (${seen.node}): hostUsers: false was not set, or the node's runtime ignored it`);
  else if (app.userns === seen.outside) problems.push(`the app is in the same user namespace as the probe Pod (${seen.outside})`);
  if (other.userns === app.userns) problems.push(`a second Pod of the Deployment is in the same user namespace (${app.userns})`);
  problems.push(...judgeSandbox(seen.sandbox, app));
  const range = podRange('the app', app);
  const otherRange = podRange('the second Pod', other);
  for (const found of [range, otherRange]) if (typeof found === 'string') problems.push(found);
  if (typeof range === 'string' || typeof otherRange === 'string') return problems;
  if (sidecar.uidMap.trim() !== app.uidMap.trim())
    problems.push(`the sidecar's uid_map differs from the app's: ${JSON.stringify(sidecar.uidMap)}`);
  const expected = range.outside + app.uid - range.inside;
  if (seen.appOnNode !== expected)
    problems.push(
      `the app runs as UID ${app.uid} inside and as ${seen.appOnNode} on the node, not ${expected} (its uid_map: ${range.outside} + ${app.uid})`,
    );
  const overlap = range.outside < otherRange.outside + otherRange.count && otherRange.outside < range.outside + range.count;
  if (overlap) problems.push(`the two Pods' node UIDs overlap: ${describeRange(range)} and ${describeRange(otherRange)}`);
  return problems;
}

export const describeRange = (range: UidRange) =>
  `${range.inside}-${range.inside + range.count - 1} → ${range.outside}-${range.outside + range.count - 1}`;

/** The sandbox holds the Pod's user namespace as it holds its net and IPC namespaces: its process is in all three of the app's. */
function judgeSandbox(sandbox: SandboxSeen, app: ContainerUsers): string[] {
  const where = `the sandbox's ${sandbox.command} (pid ${sandbox.pid} on the node)`;
  const problems = [
    ...(sandbox.user === app.userns ? [] : [`${where} is in ${sandbox.user}, the app in ${app.userns}`]),
    ...(sandbox.net === app.net ? [] : [`${where} is in ${sandbox.net}, the app in ${app.net}`]),
    ...(sandbox.ipc === app.ipc ? [] : [`${where} is in ${sandbox.ipc}, the app in ${app.ipc}`]),
  ];
  if (sandbox.command !== 'pause') problems.push(`the sandbox's process is ${JSON.stringify(sandbox.command)}, not the pause program`);
  return problems;
}
