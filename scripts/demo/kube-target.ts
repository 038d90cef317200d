// The Pod under test on Kubernetes: probes run with kubectl exec, inside its
// containers or in the probe Pod (manifests/overlays/probe).
import type { KindCluster } from '../lib/kind.js';
import type { Kube, PodStatus } from '../lib/kube.js';
import type { Progress } from '../lib/report.js';
import type { PodTarget } from './context.js';
import { ensureProbePod, PROBE_POD } from './probe-pod.js';

export function kubeTarget(kube: Kube, pod: PodStatus, progress: Progress, cluster: KindCluster | null = null): PodTarget {
  let probePod: Promise<string> | null = null;
  return {
    probeIn: (container, ...args) => kube.probe(pod.name, container, ...args),
    probeOutside: async (...args) => {
      await (probePod ??= ensureProbePod(kube, progress));
      return kube.probe(PROBE_POD, 'probe', ...args);
    },
    address: pod.ip!,
    outside: 'the probe Pod',
    networkPlugin: async () => (cluster ? cluster.cniConfig(pod.node!) : 'unknown: its CNI configuration is on the node, which the demo reads only on kind'),
  };
}
