import { readlink } from 'node:fs/promises';
import { NAMESPACE_KINDS, type NamespaceIds, type NamespaceKind, type Sharing } from './pod-view.js';

export { NAMESPACE_KINDS, type NamespaceIds, type NamespaceKind, type Sharing };

/** The namespaces this process lives in, as the kernel names them: "net:[4026531840]"; "none" where the kernel has no such kind (time before Linux 5.6). */
export async function readNamespaces(procRoot = '/proc/self'): Promise<NamespaceIds> {
  const read = (kind: NamespaceKind) =>
    readlink(`${procRoot}/ns/${kind}`).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 'none' : Promise.reject(error)));
  const entries = await Promise.all(NAMESPACE_KINDS.map(async (kind) => [kind, await read(kind)] as const));
  return Object.fromEntries(entries) as NamespaceIds;
}

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
