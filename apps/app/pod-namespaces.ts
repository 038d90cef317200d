// Both containers' namespaces and, kind by kind, whether they are the same:
// the app reads its own from /proc/self/ns, the sidecar's come over 127.0.0.1.
// GET /pod and the live page show this one answer.
import { compareNamespaces, isNamespaceIds, readNamespaces, type NamespaceIds } from '../shared/namespaces.js';
import type { PodNamespaces } from '../shared/pod-view.js';

export type { PodNamespaces };
import { SidecarUnreachable, type SidecarClient } from './sidecar-client.js';

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
  if (reply.status !== 200 || !isNamespaceIds(other?.namespaces))
    return { ok: false, app, error: 'sidecar /ns did not return namespace ids', sidecar: reply.body };
  return { ok: true, app, sidecar: other as { namespaces: NamespaceIds }, verdict: compareNamespaces(app.namespaces, other.namespaces) };
}
