// Which namespaces the containers share, from the app's GET /pod: the judge
// of 5a, of the overlays that change the answer (5f, 5p), of the compose Pod
// and of the Pod-in-a-box tests.
import { NAMESPACE_KINDS, type NamespaceKind } from '../../../apps/shared/namespaces.js';
import { isObject } from '../../lib/json.js';

export interface NamespaceExpectation {
  shared: NamespaceKind[];
  separate: NamespaceKind[];
}

/** In a Pod: net, ipc and uts are the pause container's; pid and mnt are each container's own. */
export const POD_NAMESPACES: NamespaceExpectation = { shared: ['net', 'ipc', 'uts'], separate: ['pid', 'mnt'] };

/** What GET /pod says of both containers' namespaces, and its verdicts. */
export interface PodNamespaces {
  app: Record<string, string>;
  sidecar: Record<string, string>;
  verdict: unknown;
}

const ids = (namespaces: Record<string, unknown>) => Object.fromEntries(Object.entries(namespaces).map(([kind, id]) => [kind, String(id)]));

/** GET /pod's answer read as PodNamespaces, or null when it does not report both containers' namespaces. */
export function readPodNamespaces(report: unknown): PodNamespaces | null {
  const app = isObject(report) && isObject(report.app) ? report.app.namespaces : undefined;
  const sidecar = isObject(report) && isObject(report.sidecar) ? report.sidecar.namespaces : undefined;
  return isObject(report) && isObject(app) && isObject(sidecar) ? { app: ids(app), sidecar: ids(sidecar), verdict: report.verdict } : null;
}

/** Judges the app's GET /pod answer. */
export function judgeNamespaces(report: unknown, expected: NamespaceExpectation): string[] {
  const seen = readPodNamespaces(report);
  if (!seen) return [`GET /pod did not report both containers' namespaces: ${JSON.stringify(report)}`];
  const { app, sidecar } = seen;
  const problems: string[] = [];
  for (const kind of NAMESPACE_KINDS) {
    const same = app[kind] === sidecar[kind];
    if (expected.shared.includes(kind) && !same) {
      problems.push(`${kind} namespace is not shared: app is in ${String(app[kind])}, sidecar in ${String(sidecar[kind])}`);
    }
    if (expected.separate.includes(kind) && same) {
      problems.push(`${kind} namespace is shared (${String(app[kind])}) but each container should have its own`);
    }
  }
  return problems;
}
