// The queue lives in the Pod's IPC namespace, not in a container: messages
// sent while the sidecar restarts wait in it and are processed after it.
import { setTimeout as sleep } from 'node:timers/promises';
import { judgeRoundTrip } from '../../judges/round-trip.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { inBackground, pollUntil } from '../../../lib/wait.js';
import { APP, k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { eventTimes } from '../../service-logs.js';
import { recordOf } from '../../pod-life.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => 'resilience: messages sent while the sidecar restarts are processed after it',
  ownDeployment: { pods: 1, seconds: 15 },
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, base, own } = k8sOf(context);
    const { name } = await own.deploy(base, progress);
    const restartsBefore = (await kube.pod(name)).containers.find((container) => container.name === 'sidecar')!.restartCount;
    // Messages paced over a few seconds, while the sidecar is stopped underneath them.
    const sending = inBackground(kube.probe(name, 'app').roundtrip(APP, 100, 60_000, 30));
    await sleep(500);
    progress('stopping the sidecar process (SIGTERM to its PID 1)');
    await kube.exec(name, 'sidecar', ['node', '-e', "process.kill(1, 'SIGTERM')"]).catch(() => undefined);
    const result = await sending;
    assertCheck('round trip across the restart', judgeRoundTrip(result, 100));
    await pollUntil(
      async () => (await kube.pod(name)).containers.some((c) => c.name === 'sidecar' && c.restartCount > restartsBefore && c.ready),
      {
        timeoutMs: 60_000,
        what: 'the sidecar container to restart and become ready',
        progress,
      },
    );
    context.lifecycle(
      `5e. resilience: ${name}, its sidecar stopped and restarted, the app left running`,
      await recordOf(kube, name, 'app'),
    );
    // Read until both lines are there: a log read that fails comes back
    // empty, and once in 17 warm runs on 2026-12-07 the step failed on one.
    let stoppedAt = -Infinity;
    // The new container drains the queue as soon as it starts, before it logs "ready".
    let readyAt = Infinity;
    const bothLogged = async () => {
      stoppedAt = Math.max(...eventTimes(await kube.logs(name, 'sidecar', true), 'stopping'));
      readyAt = Math.min(...eventTimes(await kube.logs(name, 'sidecar'), 'starting'));
      return Number.isFinite(stoppedAt) && Number.isFinite(readyAt);
    };
    await pollUntil(bothLogged, { timeoutMs: 15_000, what: "the sidecar's stop and start in its logs" }).catch(() => undefined);
    const during = result.delivered.filter((message) => Date.parse(message.sentAt) > stoppedAt && Date.parse(message.sentAt) < readyAt);
    const early = during.filter((message) => Date.parse(message.processedAt) < readyAt);
    const problems: string[] = [];
    if (!Number.isFinite(stoppedAt) || !Number.isFinite(readyAt)) problems.push('the sidecar logs do not show its stop and restart');
    else {
      if (during.length === 0) problems.push(`no message was accepted during the ${readyAt - stoppedAt} ms the sidecar was down`);
      if (early.length > 0)
        problems.push(`${early.length} messages were processed before the sidecar restarted: impossible unless another consumer exists`);
    }
    assertCheck('resilience', problems);
    return `sidecar down ${readyAt - stoppedAt} ms; ${during.length} messages accepted meanwhile waited in the Pod's queue and were processed after the restart`;
  },
};
