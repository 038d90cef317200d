// A native sidecar (an init container with restartPolicy: Always): the
// kubelet starts the app only after the sidecar's startup probe has passed, so
// the app can use the sidecar from its first instruction; the Pod shares the
// same namespaces and the traffic checks pass. And when the Pod goes, the
// sidecar gets SIGTERM only after the app has stopped, so the app's drain can
// use it to the end.
import { judgeDrain, judgeStartOrder, judgeStopOrder, ordersOf, type Drain } from './judge.js';
import { lifecycleOfLogs, mergeLifecycle } from '../../../../apps/shared/lifecycle.js';
import { recordOf } from '../../pod-life.js';
import { judgeNamespaces, POD_NAMESPACES } from '../../judges/namespaces.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { APP, k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { checkRoundTrip } from '../../in-pod.js';
import { kubeTarget } from '../../kube-target.js';
import { logEvents } from '../../service-logs.js';
import { postUntilShutdown } from '../../probe-pod.js';
import { inBackground, pollUntil } from '../../../lib/wait.js';
import type { PodState } from '../../../../apps/shared/pod-view.js';
import { byHand } from './by-hand.js';

// The sidecar slowed (one message per 250 ms) and the messages posted five
// times as fast: at the app's SIGTERM its queue is full and its drain needs
// the sidecar for a few seconds, which a sidecar stopped at the same time
// would not give it. At one per 100 ms, on a machine with both CPUs busy,
// the posts (4 at a time, each waiting for the app's answer) sometimes came
// no faster than the sidecar took them, and nothing was in flight.
const SLOW_SIDECAR = { sidecar: { WORK_DELAY_MS: '250' } };
const POSTS_PER_SECOND = 20;
const IN_FLIGHT_AT_DELETION = 3;

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
    const ready = await own.deploy(overlay(), progress, SLOW_SIDECAR);
    // The Pod's lifecycle record while it runs; its end is in the logs, read to each container's exit.
    const record = await recordOf(kube, ready.name, 'app');
    const { start } = ordersOf(record);
    const problems = [
      ...judgeNamespaces((await kube.probe(ready.name, 'app').http('GET', `${APP}/pod`)).body, POD_NAMESPACES),
      ...judgeStartOrder(start),
    ];
    if (!ready.initContainers.some((container) => container.name === 'sidecar' && container.started))
      problems.push('the sidecar is not a started init container');
    const traffic = await checkRoundTrip(kubeTarget(kube, ready), 20);
    // The Pod deleted (scaled to 0, so no other takes its place) while messages come faster than the
    // slowed sidecar answers them, both logs read until their container exits.
    progress(
      `scaling to 0 while the probe Pod posts ${POSTS_PER_SECOND} messages/s until the app refuses; reading both logs until each container exits`,
    );
    const containers = ['app', 'sidecar'];
    const logs = inBackground(Promise.all(containers.map((container) => kube.logsUntilExit(ready.name, container, 60_000))));
    const posting = inBackground(postUntilShutdown(kube, `http://${ready.ip}:8080`, POSTS_PER_SECOND, 60_000));
    // Deleted only once messages wait for the slowed sidecar: the posts start with a kubectl exec, which
    // can take seconds on a busy machine, and a deletion before them leaves the drain nothing to show.
    const app = kube.probe(ready.name, 'app');
    await pollUntil(async () => ((await app.http('GET', `${APP}/api/state`)).body as PodState).counters.inFlight >= IN_FLIGHT_AT_DELETION, {
      timeoutMs: 30_000,
      what: `${IN_FLIGHT_AT_DELETION} messages in flight in the app`,
      progress,
    });
    await kube.inNamespace(['scale', `deployment/${name}`, '--replicas=0']);
    const [appLog, sidecarLog] = await logs;
    const posted = await posting;
    const drained = logEvents(appLog!, 'drained')[0] as Drain | undefined;
    const life = mergeLifecycle(record, lifecycleOfLogs({ app: appLog!, sidecar: sidecarLog! }));
    // Drawn whatever the verdict: a wrong order is what the picture is for.
    context.lifecycle(`5f. native sidecar: ${ready.name} from its start to its deletion`, life);
    const { stop: stops } = ordersOf(life);
    assertCheck('native sidecar', [...problems, ...judgeStopOrder(stops), ...judgeDrain(drained)]);
    const lead = start.appProcessStarted! - start.sidecarFirstAnswered!;
    return (
      `the sidecar answered its startup probe ${lead} ms before the app's process started; ${traffic}; ` +
      `on deletion (${posted.accepted} messages accepted meanwhile) the app's drain had ${drained!.unansweredAtSigterm} in flight at its SIGTERM, ` +
      `all answered by the sidecar in ${drained!.ms} ms; the sidecar got SIGTERM ${stops.sidecarStopping! - stops.appStopped!} ms after the app had stopped`
    );
  },
};
