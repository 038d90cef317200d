// Both containers' namespaces and, kind by kind, whether they are the same:
// the app reads its own from /proc/self/ns, the sidecar's come over 127.0.0.1.
// GET /pod and the live page show this one answer.
import { compareNamespaces, isNamespaceIds, readNamespaces, type NamespaceIds, type NamespaceKind, type Sharing } from '../shared/namespaces.js';
import { SidecarUnreachable, type SidecarClient } from './sidecar-client.js';

export type PodNamespaces =
  | { ok: true; app: { pid: number; namespaces: NamespaceIds }; sidecar: { namespaces: NamespaceIds }; verdict: Record<NamespaceKind, Sharing> }
  | { ok: false; app: { pid: number; namespaces: NamespaceIds }; error: string; sidecar?: unknown };

export async function podNamespaces(sidecar: SidecarClient): Promise<PodNamespaces> {
  const app = { pid: process.pid, namespaces: await readNamespaces() };
  let reply;
  try {
    reply = await sidecar.get('/ns');
  } catch (error) {
    if (!(error instanceof SidecarUnreachable)) throw error;
    return { ok: false, app, error: error.message };
  }
  const other = reply.body as { namespaces?: unknown } | null;
  if (reply.status !== 200 || !isNamespaceIds(other?.namespaces)) return { ok: false, app, error: 'sidecar /ns did not return namespace ids', sidecar: reply.body };
  return { ok: true, app, sidecar: other as { namespaces: NamespaceIds }, verdict: compareNamespaces(app.namespaces, other.namespaces) };
}
