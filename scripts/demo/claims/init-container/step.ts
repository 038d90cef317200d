// A classic init container (manifests/overlays/init-queue) runs to
// completion before the Pod's containers start, in the same namespaces: it
// creates the request queue with the ConfigMap's settings and leaves one
// request in it. The app starts after it has exited, and the sidecar, started
// after it too, finds that request in the queue and processes it.
import { createHash } from 'node:crypto';
import { readProbeOutput } from '../../../../apps/probe/client.js';
import { judgeInitContainer } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { k8sOf, needsKubernetesFor, SIDECAR, type Claim } from '../../context.js';
import { processStartedAt } from '../../service-logs.js';
import { recordOf } from '../../pod-life.js';
import { byHand } from './by-hand.js';

const INIT = 'make-queue';

export const step: Claim = {
  byHand,
  overlay: 'init-queue',
  title: () => "init container: it runs first, in the Pod's namespaces; the request it left in the queue is processed by the sidecar",
  ownDeployment: { pods: 1, seconds: 8 },
  unavailable: needsKubernetesFor(
    "init containers are the kubelet's (compose's `depends_on: condition: service_completed_successfully` comes closest)",
  ),
  run: async (context, progress) => {
    const { kube, own, overlay } = k8sOf(context);
    const pod = await own.deploy(overlay(), progress);
    const exited = pod.initContainers.find((container) => container.name === INIT)?.state.terminated;
    const output = exited ? (await kube.logs(pod.name, INIT)).trim() : '';
    // Its log is the probe's output: the request it left.
    const left = output.startsWith('{') ? readProbeOutput('mqRequest', output) : null;
    const status = left ? await kube.probe(pod.name, 'app').http('GET', `${SIDECAR}/status/${left.id}`) : { status: 0, body: {} };
    const sha256 = createHash('sha256')
      .update(left?.text ?? '', 'utf8')
      .digest('hex');
    const appStartedAt = processStartedAt(await kube.logs(pod.name, 'app'));
    context.lifecycle(`5s. init container: ${pod.name}, ${INIT} before the sidecar and the app`, await recordOf(kube, pod.name, 'app'));
    assertCheck('init container', judgeInitContainer({ name: INIT, exited, left, appStartedAt, status, sha256 }));
    return `${INIT} exited 0 (its last act at ${left!.at}; the app's process started ${appStartedAt! - Date.parse(left!.at)} ms later), leaving ${left!.id} in ${left!.depth === 1 ? 'an otherwise empty' : 'the'} queue; the app started after it; the sidecar processed it (sha256 ${sha256.slice(0, 12)}…)`;
  },
};
