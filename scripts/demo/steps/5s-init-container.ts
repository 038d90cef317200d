// 5s. A classic init container (manifests/overlays/init-queue) runs to
// completion before the Pod's containers start, in the same namespaces: it
// creates the request queue with the ConfigMap's settings and leaves one
// request in it. The app starts after it has exited, and the sidecar, started
// after it too, finds that request in the queue and processes it.
import { createHash } from 'node:crypto';
import { assertCheck, judgeInitContainer } from '../../lib/checks.js';
import { k8sOf, needsKubernetesFor, SIDECAR, type Http, type Step } from '../context.js';
import { processStartedAt } from '../in-pod.js';

const INIT = 'make-queue';

export const step: Step = {
  id: '5s',
  title: () => "init container: it runs first, in the Pod's namespaces; the request it left in the queue is processed by the sidecar",
  ownDeployment: { pods: 1, seconds: 8 },
  unavailable: needsKubernetesFor(
    "init containers are the kubelet's (compose's `depends_on: condition: service_completed_successfully` comes closest)",
  ),
  run: async (context, progress) => {
    const { kube, own, overlay } = k8sOf(context);
    const pod = await own.deploy(overlay('init-queue'), progress);
    const exited = pod.initContainers.find((container) => container.name === INIT)?.state.terminated;
    const output = exited ? (await kube.logs(pod.name, INIT)).trim() : '';
    const left = output.startsWith('{')
      ? (JSON.parse(output) as { id: string; text: string; pushed: boolean; depth: number; at: string })
      : null;
    const status = left
      ? ((await kube.probe(pod.name, 'app', 'http', 'GET', `${SIDECAR}/status/${left.id}`)) as Http)
      : { status: 0, body: {} };
    const sha256 = createHash('sha256')
      .update(left?.text ?? '', 'utf8')
      .digest('hex');
    const appStartedAt = processStartedAt(await kube.logs(pod.name, 'app'));
    assertCheck('init container', judgeInitContainer({ name: INIT, exited, left, appStartedAt, status, sha256 }));
    return `${INIT} exited 0 (its last act at ${left!.at}; the app's process started ${appStartedAt! - Date.parse(left!.at)} ms later), leaving ${left!.id} in ${left!.depth === 1 ? 'an otherwise empty' : 'the'} queue; the app started after it; the sidecar processed it (sha256 ${sha256.slice(0, 12)}…)`;
  },
};
