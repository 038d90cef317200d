// 5f. A native sidecar (an init container with restartPolicy: Always) is
// started before the app, and the Pod shares the same namespaces.
import { assertCheck, judgeNamespaces, POD_NAMESPACES } from '../../lib/checks.js';
import { manifestPath } from '../../lib/manifests.js';
import { APP, k8sOf, needsKubernetes, type Http, type Step } from '../context.js';
import { checkRoundTrip, eventTimes } from '../in-pod.js';
import { kubeTarget } from '../kube-target.js';

export const nativeSidecar: Step = {
  id: '5f',
  title: () => 'native sidecar: the sidecar starts before the app, and the traffic checks pass',
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, deploy } = k8sOf(context);
    const ready = await deploy(manifestPath('overlays/native-sidecar'), progress);
    const sidecarReady = Math.min(...eventTimes(await kube.logs(ready.name, 'sidecar'), 'ready'));
    const appStarted = Math.min(...eventTimes(await kube.logs(ready.name, 'app'), 'listening'));
    const problems = [...judgeNamespaces(((await kube.probe(ready.name, 'app', 'http', 'GET', `${APP}/pod`)) as Http).body, POD_NAMESPACES)];
    if (!ready.initContainers.some((container) => container.name === 'sidecar' && container.started)) problems.push('the sidecar is not a started init container');
    if (!(sidecarReady < appStarted)) problems.push(`the sidecar was ready at ${new Date(sidecarReady).toISOString()}, not before the app started at ${new Date(appStarted).toISOString()}`);
    assertCheck('native sidecar', problems);
    return `sidecar ready ${appStarted - sidecarReady} ms before the app started; ${await checkRoundTrip(kubeTarget(kube, ready, progress), 50)}`;
  },
};
