// Who holds a Podman Pod's namespaces: the infra container that `kube play`
// adds (the project's pause image, as containerd's sandbox on Kubernetes).
// Read from this machine, in /proc/<pid>/ns of each container's first process.
import type { NamespaceIds, NamespaceKind } from '../../../apps/shared/namespaces.js';

export interface PodProcesses {
  infra: NamespaceIds;
  app: NamespaceIds;
  sidecar: NamespaceIds;
}

/** The infra container's namespaces that both containers must be in (a Pod's), and the ones each must have of its own. */
export const HELD_BY_INFRA: NamespaceKind[] = ['net', 'ipc', 'uts'];
export const OWN: NamespaceKind[] = ['pid', 'mnt'];

export function judgeInfraHolds(seen: PodProcesses): string[] {
  const problems: string[] = [];
  for (const container of ['app', 'sidecar'] as const) {
    for (const kind of HELD_BY_INFRA)
      if (seen[container][kind] !== seen.infra[kind])
        problems.push(
          `the ${container}'s ${kind} namespace is not the infra container's: ${seen[container][kind]}, infra in ${seen.infra[kind]}`,
        );
    for (const kind of OWN)
      if (seen[container][kind] === seen.infra[kind])
        problems.push(`the ${container} is in the infra container's ${kind} namespace (${seen.infra[kind]}): it should have its own`);
  }
  return problems;
}
