import { readlink } from 'node:fs/promises';

// Every kind in /proc/self/ns. The first five are the Pod's design (shared or
// per container); the others depend on the node: cgroup is per container on
// cgroup v2 nodes and the node's on cgroup v1 ones, user is the node's unless
// `hostUsers: false`, time is the node's (Kubernetes never makes one).
export const NAMESPACE_KINDS = ['net', 'ipc', 'uts', 'pid', 'mnt', 'cgroup', 'user', 'time'] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];
export type NamespaceIds = Record<NamespaceKind, string>;

/** The namespaces this process lives in, as the kernel names them: "net:[4026531840]"; "none" where the kernel has no such kind (time before Linux 5.6). */
export async function readNamespaces(procRoot = '/proc/self'): Promise<NamespaceIds> {
  const read = (kind: NamespaceKind) => readlink(`${procRoot}/ns/${kind}`).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 'none' : Promise.reject(error)));
  const entries = await Promise.all(NAMESPACE_KINDS.map(async (kind) => [kind, await read(kind)] as const));
  return Object.fromEntries(entries) as NamespaceIds;
}

export type Sharing = 'shared' | 'separate';

export function compareNamespaces(a: NamespaceIds, b: NamespaceIds): Record<NamespaceKind, Sharing> {
  const verdict = {} as Record<NamespaceKind, Sharing>;
  for (const kind of NAMESPACE_KINDS) verdict[kind] = a[kind] === b[kind] ? 'shared' : 'separate';
  return verdict;
}

export function isNamespaceIds(value: unknown): value is NamespaceIds {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return NAMESPACE_KINDS.every((kind) => typeof record[kind] === 'string');
}
