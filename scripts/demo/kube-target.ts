// The Pod under test on Kubernetes: probes run with kubectl exec, inside its
// containers or in the probe Pod (manifests/overlays/probe).
import type { KindCluster } from '../lib/kind.js';
import type { Kube, PodStatus } from '../lib/kube.js';
import type { PodTarget } from './context.js';
import { PROBE_POD } from './probe-pod.js';

export function kubeTarget(kube: Kube, pod: PodStatus, cluster: KindCluster | null = null): PodTarget {
  return {
    probe: (where, options) => (where === 'outside' ? kube.probe(PROBE_POD, 'probe', options) : kube.probe(pod.name, where, options)),
    address: pod.ip!,
    outside: 'the probe Pod',
    networkPlugin: async () =>
      cluster ? cluster.cniConfig(pod.node!) : 'unknown: its CNI configuration is on the node, which the demo reads only on kind',
    nodes: async () => ({
      pod: pod.node ?? '?',
      outside: (await kube.inNamespace(['get', 'pod', PROBE_POD, '-o', 'jsonpath={.spec.nodeName}'])).stdout || '?',
    }),
    appFromHere: async () => {
      const forward = await kube.portForward(pod.name, 8080);
      return {
        url: `http://127.0.0.1:${forward.localPort}`,
        how: `kubectl port-forward pod/${pod.name} ${forward.localPort}:8080`,
        close: forward.close,
      };
    },
  };
}
