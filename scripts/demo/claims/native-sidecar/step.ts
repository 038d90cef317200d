// A native sidecar (an init container with restartPolicy: Always): the
// kubelet starts the app only after the sidecar's startup probe has passed, so
// the app can use the sidecar from its first instruction; the Pod shares the
// same namespaces and the traffic checks pass. And when the Pod goes, the
// sidecar gets SIGTERM only after the app has stopped, so the app's drain can
// use it to the end.
import { judgeStartOrder, judgeStopOrder, ordersOf } from './judge.js';
import { LIFECYCLE_RECORD, mergeLifecycle, parseLifecycle } from '../../../../apps/shared/lifecycle.js';
import { judgeNamespaces, POD_NAMESPACES } from '../../judges/namespaces.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { APP, k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { checkRoundTrip } from '../../in-pod.js';
import { kubeTarget } from '../../kube-target.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  overlay: 'native-sidecar',
  title: () =>
    "native sidecar: the app starts only after the sidecar's startup probe found it serving, and the traffic checks pass; " +
    'when the Pod goes, the sidecar is stopped after the app',
  ownDeployment: { pods: 1, seconds: 25 },
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, own, overlay } = k8sOf(context);
    const { name } = own;
    const ready = await own.deploy(overlay(), progress);
    // The Pod's lifecycle record while it runs; its end is in the logs, read to each container's exit.
    const record = await kube.probe(ready.name, 'app').lifecycle(LIFECYCLE_RECORD);
    const { start } = ordersOf(record);
    const problems = [
      ...judgeNamespaces((await kube.probe(ready.name, 'app').http('GET', `${APP}/pod`)).body, POD_NAMESPACES),
      ...judgeStartOrder(start),
    ];
    if (!ready.initContainers.some((container) => container.name === 'sidecar' && container.started))
      problems.push('the sidecar is not a started init container');
    assertCheck('native sidecar', problems);
    const lead = start.appProcessStarted! - start.sidecarFirstAnswered!;
    const traffic = await checkRoundTrip(kubeTarget(kube, ready), 50);
    // The Pod deleted (scaled to 0, so no other takes its place), both logs read until their container exits.
    progress('scaling to 0: the Pod is deleted; reading both logs until each container exits');
    const containers = ['app', 'sidecar'];
    const logs = Promise.all(containers.map((container) => kube.logsUntilExit(ready.name, container, 60_000)));
    await kube.inNamespace(['scale', `deployment/${name}`, '--replicas=0']);
    const life = mergeLifecycle(record, ...(await logs).map((log, i) => parseLifecycle(log, containers[i])));
    context.lifecycle(`5f. native sidecar: ${ready.name} from its start to its deletion`, life);
    const { stop: stops } = ordersOf(life);
    assertCheck('native sidecar', judgeStopOrder(stops));
    return (
      `the sidecar answered its startup probe ${lead} ms before the app's process started; ${traffic}; ` +
      `on deletion the sidecar got SIGTERM ${stops.sidecarStopping! - stops.appStopped!} ms after the app had stopped`
    );
  },
};
