// A native sidecar (an init container with restartPolicy: Always): the
// kubelet starts the app only after the sidecar's startup probe has passed, so
// the app can use the sidecar from its first instruction; the Pod shares the
// same namespaces and the traffic checks pass. And when the Pod goes, the
// sidecar gets SIGTERM only after the app has stopped, so the app's drain can
// use it to the end.
import { judgeStartOrder, judgeStopOrder } from './judge.js';
import { judgeNamespaces, POD_NAMESPACES } from '../../judges/namespaces.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { APP, k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { checkRoundTrip } from '../../in-pod.js';
import { eventTimes, processStartedAt } from '../../service-logs.js';
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
    const sidecarLog = await kube.logs(ready.name, 'sidecar');
    const order = {
      sidecarFirstAnswered: eventTimes(sidecarLog, 'first_health_check')[0],
      appProcessStarted: processStartedAt(await kube.logs(ready.name, 'app')),
    };
    const problems = [
      ...judgeNamespaces((await kube.probe(ready.name, 'app').http('GET', `${APP}/pod`)).body, POD_NAMESPACES),
      ...judgeStartOrder(order),
    ];
    if (!ready.initContainers.some((container) => container.name === 'sidecar' && container.started))
      problems.push('the sidecar is not a started init container');
    assertCheck('native sidecar', problems);
    const lead = order.appProcessStarted! - order.sidecarFirstAnswered!;
    const traffic = await checkRoundTrip(kubeTarget(kube, ready), 50);
    // The Pod deleted (scaled to 0, so no other takes its place), both logs read until their container exits.
    progress('scaling to 0: the Pod is deleted; reading both logs until each container exits');
    const logs = Promise.all(['app', 'sidecar'].map((container) => kube.logsUntilExit(ready.name, container, 60_000)));
    await kube.inNamespace(['scale', `deployment/${name}`, '--replicas=0']);
    const [appUntilExit, sidecarUntilExit] = await logs;
    const stops = { appStopped: eventTimes(appUntilExit!, 'stopped')[0], sidecarStopping: eventTimes(sidecarUntilExit!, 'stopping')[0] };
    assertCheck('native sidecar', judgeStopOrder(stops));
    return (
      `the sidecar answered its startup probe ${lead} ms before the app's process started; ${traffic}; ` +
      `on deletion the sidecar got SIGTERM ${stops.sidecarStopping! - stops.appStopped!} ms after the app had stopped`
    );
  },
};
