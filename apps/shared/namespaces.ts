import { readlink } from 'node:fs/promises';

export const NAMESPACE_KINDS = ['net', 'ipc', 'uts', 'pid', 'mnt'] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];
export type NamespaceIds = Record<NamespaceKind, string>;

/** The namespaces this process lives in, as the kernel names them: "net:[4026531840]". */
export async function readNamespaces(procRoot = '/proc/self'): Promise<NamespaceIds> {
  const entries = await Promise.all(NAMESPACE_KINDS.map(async (kind) => [kind, await readlink(`${procRoot}/ns/${kind}`)] as const));
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
