// A rollout while messages flow through the Service. The new Pod
// starts and becomes Ready; the old one is taken out of the endpoints (preStop),
// then both its containers get SIGTERM together: the app refuses new messages
// and waits for the replies of those it accepted, the sidecar answers until the
// app has gone. The old Pod's queues and journal go with it, so whatever it
// accepted must be answered before it exits. This step's old sidecar is slow
// on purpose (WORK_DELAY_MS), and the rollout is the change that removes it:
// so the old Pod still has messages in flight when SIGTERM comes, and the
// drain must answer them.
import { setTimeout as sleep } from 'node:timers/promises';
import { lifecycleOfLogs } from '../../../../apps/shared/lifecycle.js';
import { judgeDelivery } from '../../judges/delivery.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Kube, PodStatus } from '../../../lib/kube.js';
import type { Progress } from '../../../lib/report.js';
import { inBackground, pollUntil } from '../../../lib/wait.js';
import { k8sOf, needsKubernetes, type DemoContext, type OwnDeployment, type Claim } from '../../context.js';
import { logEvents } from '../../service-logs.js';
import { startLoad } from '../../probe-pod.js';
import { LOAD_MS, underLoad } from '../crash/step.js';
import { byHand } from './by-hand.js';

/** Slow enough that the old Pod's 10 queued messages outlast its 5 s preStop. */
const SLOW_SIDECAR = { sidecar: { WORK_DELAY_MS: '700' } };

export const step: Claim = {
  byHand,
  title: (context) =>
    `rollout: kubectl set env (the old sidecar's slow work undone) while ${underLoad(context.messages)} messages flow through the Service; ` +
    'the old Pod drains what it accepted, nothing is lost',
  // The old Pod and the new one, side by side for a moment.
  ownDeployment: { pods: 2, seconds: 35 },
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, base, own } = k8sOf(context);
    return rolloutUnderLoad(kube, await own.deploy(base, progress, SLOW_SIDECAR), own, underLoad(context.messages), progress, context);
  },
};

async function rolloutUnderLoad(
  kube: Kube,
  old: PodStatus,
  { name, selector }: OwnDeployment,
  messages: number,
  progress: Progress,
  { lifecycle }: Pick<DemoContext, 'lifecycle'>,
): Promise<string> {
  const service = await kube.serviceIP(name);
  // The old Pod's logs go with it: follow them until its containers exit.
  const oldApp = inBackground(kube.logsUntilExit(old.name, 'app', 180_000));
  const oldSidecar = inBackground(kube.logsUntilExit(old.name, 'sidecar', 180_000));
  const load = inBackground(startLoad(kube, `http://${service}:8080`, messages, LOAD_MS, 180_000));
  await sleep(1000);
  progress(`kubectl set env deployment/${name} -c sidecar WORK_DELAY_MS- (a rollout: new Pods without the delay)`);
  await kube.inNamespace(['set', 'env', `deployment/${name}`, '-c', 'sidecar', 'WORK_DELAY_MS-']);
  await kube.rollout(name, 180);
  await pollUntil(async () => !(await kube.podsByLabel(selector)).some((pod) => pod.name === old.name), {
    timeoutMs: 90_000,
    what: `the old Pod ${old.name} to finish and go`,
    progress,
  });
  const result = await load;
  const [appLog, sidecarLog] = await Promise.all([oldApp, oldSidecar]);
  lifecycle(
    `5i. rollout: the old Pod ${old.name}, from its start to its drain and exit`,
    lifecycleOfLogs({ app: appLog, sidecar: sidecarLog }),
  );

  const { acceptedBy, notFoundBy } = result;
  const fromOld = acceptedBy[old.name] ?? 0;
  // The old Pod's records went with it (404 now): its own log says whether it answered them all.
  const problems = judgeDelivery({ ...result, notFound: [] }, messages);
  const elsewhere = Object.entries(notFoundBy).filter(([pod]) => pod !== old.name);
  if (elsewhere.length > 0)
    problems.push(`messages accepted by Pods that still exist are unknown to them: ${JSON.stringify(Object.fromEntries(elsewhere))}`);
  const drained = logEvents(appLog, 'drained')[0];
  const unanswered = logEvents(appLog, 'unanswered_at_shutdown')[0];
  if (unanswered)
    problems.push(
      `the old Pod's app stopped with ${String(unanswered.count)} accepted messages unanswered: ${JSON.stringify(unanswered.ids)}`,
    );
  if (!drained)
    problems.push(
      `the old Pod's app never logged "drained": it did not stop gracefully (last lines: ${appLog.trim().split('\n').slice(-2).join(' | ')})`,
    );
  else if (Number(drained.acceptedSinceStart) < fromOld)
    problems.push(`the old Pod's app says it accepted ${String(drained.acceptedSinceStart)}, but the clients got ${fromOld} 202s from it`);
  else if (Number(drained.unansweredAtSigterm) === 0) {
    problems.push('no message was in flight when SIGTERM came: the drain had nothing to do, so this run proves nothing about it');
  }
  if (logEvents(appLog, 'stopped').length === 0) problems.push('the old Pod\'s app did not exit cleanly (no "stopped")');
  if (logEvents(sidecarLog, 'outliving_app').length === 0) problems.push("the old Pod's sidecar did not wait for the app to finish");
  if (fromOld === 0) problems.push(`the old Pod ${old.name} accepted no message during the rollout: the load did not overlap it`);
  const fromNew = Object.entries(acceptedBy)
    .filter(([pod]) => pod !== old.name)
    .reduce((sum, [, count]) => sum + count, 0);
  if (fromNew === 0) problems.push('the new Pod accepted no message: the load was over before the Service switched to it');
  assertCheck('rollout', problems);
  const lastPost = drained!.lastPostMsBeforeSigterm;
  return (
    `old Pod accepted ${fromOld}; ${String(drained!.unansweredAtSigterm)} were in flight at SIGTERM and answered by its drain in ${String(drained!.ms)} ms ` +
    `(${String(drained!.redeliveredDuringDrain)} pushed again), then it exited 0; ` +
    (typeof lastPost === 'number'
      ? `its last message came ${5000 - lastPost} ms after the Pod's deletion (preStop 5 s${lastPost < 0 ? '; those after SIGTERM got 503 and were retried elsewhere' : ''}); `
      : '') +
    `new Pod accepted ${fromNew}, all processed; ${String(result.retriedBusy)} retries after 503, ${String(result.retriedConnection)} after a refused connection`
  );
}
