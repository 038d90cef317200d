// Loopback is a network boundary, not an access control. No other Pod
// reaches the sidecar on 127.0.0.1:9090, yet `kubectl port-forward` does: the
// kubelet has the runtime dial localhost inside the Pod's network namespace.
// What guards it is RBAC on pods/portforward: the namespace's default
// ServiceAccount is refused.
import { httpGet } from '../../../../apps/shared/http-get.js';
import { judgePortForward } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { NAMESPACE } from '../../../lib/kube.js';
import { k8sOf, needsKubernetesFor, type Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => "port-forward: kubectl reaches the sidecar's 127.0.0.1-only port that no Pod can; RBAC is what guards it",
  unavailable: needsKubernetesFor(
    "port-forward is the kubelet's (with Docker, only a published port or `docker exec` reach a loopback-only server)",
  ),
  run: async (context, progress) => {
    const { kube, basePod } = k8sOf(context);
    const pod = await basePod();
    const target = await context.target(progress);
    const address = `${target.address}:9090`;
    const outside = await target.probe('outside').connect(target.address, 9090);
    progress('kubectl port-forward to the sidecar port');
    let forwarded: { status: number } | { error: string };
    let localPort = 0;
    try {
      const forward = await kube.portForward(pod.name, 9090);
      localPort = forward.localPort;
      try {
        forwarded = await httpGet(`http://127.0.0.1:${forward.localPort}/healthz`, 5000);
      } finally {
        forward.close();
      }
    } catch (error) {
      forwarded = { error: (error as Error).message };
    }
    const who = `system:serviceaccount:${NAMESPACE}:default`;
    const denied = await kube.portForward(pod.name, 9090, who).then(
      (forward) => {
        forward.close();
        return null;
      },
      (error: Error) => error.message,
    );
    assertCheck('port-forward', judgePortForward({ forwarded, outside, address, denied, who }));
    return `the probe Pod: ${address} ${outside.code}; kubectl port-forward: 127.0.0.1:${localPort} → the sidecar's 127.0.0.1:9090, GET /healthz 200; as ${who}: forbidden`;
  },
};
