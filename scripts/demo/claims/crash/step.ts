// The sidecar, then the app, are SIGKILLed under load (what the OOM
// killer or a runtime crash does). The kubelet restarts each one in the same
// Pod: same IPC namespace, so the same queues, and the same emptyDir, so the
// app's journal. Every message answered 202 must still be processed, with the
// right result. So that the sidecar's kill lands on a message in flight for
// certain, it SIGKILLs itself on the first request it takes (a failpoint, once
// per Pod): the app must find that copy lost and push it again. The app is
// SIGKILLed from the node. Each container dies once: a second death would wait
// out the kubelet's 10 s back-off. And each restart is the killed container's
// alone: the other keeps its process, the Pod its sandbox.
import { judgeRestartAlone, type ContainerRun, type KillSeen } from './judge.js';
import { judgeDelivery } from '../../judges/delivery.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { KindCluster } from '../../../lib/kind.js';
import type { Kube, PodStatus } from '../../../lib/kube.js';
import type { Progress } from '../../../lib/report.js';
import { inBackground, pollUntil } from '../../../lib/wait.js';
import { k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { logEvents } from '../../service-logs.js';
import { startLoad } from '../../probe-pod.js';
import { recordOf } from '../../pod-life.js';
import { byHand } from './by-hand.js';

/** A container's current run, as the kubelet reports it in the Pod's status. */
function runOf(pod: PodStatus, container: string): ContainerRun {
  const status = pod.containers.find((c) => c.name === container)!;
  return { id: status.containerID ?? '?', startedAt: status.state.running?.startedAt ?? 'not running' };
}

/** Waits until the kubelet has restarted `container` (its restarts counted from `pod`) and it is ready; what the Pod's other container did meanwhile. */
async function restarted(
  kube: Kube,
  pod: PodStatus,
  [container, other]: [string, string],
  what: string,
  progress: Progress,
): Promise<{ exitCode: number; seen: KillSeen }> {
  const before = pod.containers.find((c) => c.name === container)!;
  let exitCode = -1;
  let after = pod;
  await pollUntil(
    async () => {
      after = await kube.pod(pod.name);
      const now = after.containers.find((c) => c.name === container)!;
      exitCode = now.lastState.terminated?.exitCode ?? -1;
      return now.restartCount > before.restartCount && now.ready;
    },
    { timeoutMs: 90_000, what, progress },
  );
  return { exitCode, seen: { killed: container, other, before: runOf(pod, other), after: runOf(after, other) } };
}

/** Once per Pod: a file in the Pod's /shared volume says the failpoint fired, so the restarted sidecar does not fire it again. */
const KILL_ON_FIRST_TAKE = { sidecar: { PODMATES_FAILPOINT: 'sidecar-after-take', PODMATES_FAILPOINT_ONCE: '/shared/failpoint-fired' } };

export const step: Claim = {
  byHand,
  title: (context) =>
    `crash: the sidecar, then the app, SIGKILLed under load (${underLoad(context.messages)} messages); nothing accepted is lost`,
  ownDeployment: { pods: 1, seconds: 40 },
  unavailable: (context) =>
    needsKubernetes(context) ??
    (context.k8s?.cluster ? null : "SIGKILL of a container's PID 1 is sent from its node, which the demo reaches only on kind"),
  run: async (context, progress) => {
    const { kube, cluster, base, own } = k8sOf(context);
    const pod = await own.deploy(base, progress, KILL_ON_FIRST_TAKE);
    try {
      return await crashUnderLoad(kube, cluster!, pod, underLoad(context.messages), progress);
    } finally {
      // Drawn whatever the verdict: each container's runs, and the other's left alone.
      const life = await recordOf(kube, pod.name, 'app').catch(() => []);
      context.lifecycle(`5h. crash: ${pod.name}, its sidecar SIGKILLed by its failpoint, then its app by SIGKILL from the node`, life);
    }
  },
};

/**
 * Twice --messages, spread over LOAD_MS: the load goes on across the switch
 * to the new Pod (5i), and across both kills (5h). More only costs CPU that
 * the steps beside them need: 5i's old Pod is full either way (its slow
 * sidecar), and 5h's posts meet the app down at 13 a second as at 33.
 */
export const underLoad = (messages: number) => messages * 2;
export const LOAD_MS = 15_000;
/**
 * 5h's load spans two restarts, the sidecar's (its failpoint fires on the
 * first message) and the app's: on one quiet node the app was killed about
 * 10 s in; the margin is for busy ones.
 */
const CRASH_LOAD_MS = 30_000;

async function crashUnderLoad(kube: Kube, cluster: KindCluster, pod: PodStatus, messages: number, progress: Progress): Promise<string> {
  const start = await kube.pod(pod.name);
  // The sandbox holds the Pod's network namespace: the same inode at the end means the same sandbox.
  const netNamespace = async () => (await kube.probe(pod.name, 'app').ns()).namespaces.net;
  const sandboxBefore = await netNamespace();
  const load = inBackground(startLoad(kube, `http://${pod.ip}:8080`, messages, CRASH_LOAD_MS, 180_000));
  const sidecarKill = await restarted(
    kube,
    start,
    ['sidecar', 'app'],
    'the sidecar to SIGKILL itself on the first request it took (its failpoint) and be restarted',
    progress,
  );
  const failpoint = logEvents(await kube.logs(pod.name, 'sidecar', true), 'failpoint').length > 0;
  const beforeAppKill = await kube.pod(pod.name);
  const app = beforeAppKill.containers.find((c) => c.name === 'app')!;
  progress("SIGKILL to the app container's process, from the node");
  await cluster.killContainerProcess(beforeAppKill.node!, app.containerID!);
  const appKill = await restarted(
    kube,
    beforeAppKill,
    ['app', 'sidecar'],
    'the app container to be restarted by the kubelet and ready',
    progress,
  );
  const [sidecarExit, appExit] = [sidecarKill.exitCode, appKill.exitCode];
  const sandbox = { before: sandboxBefore, after: await netNamespace() };
  progress('waiting for the load to verify every accepted message');
  const result = await load;
  const problems = [...judgeDelivery(result, messages), ...judgeRestartAlone([sidecarKill.seen, appKill.seen], sandbox)];
  // 137 = 128 + 9: the kubelet saw each container die of SIGKILL, not exit by itself.
  if (sidecarExit !== 137) problems.push(`the sidecar's last exit code is ${sidecarExit}, not 137 (SIGKILL)`);
  if (appExit !== 137) problems.push(`the app's last exit code is ${appExit}, not 137 (SIGKILL)`);
  if (result.retriedConnection === 0)
    problems.push('no post failed on the connection: the load was over before the app was SIGKILLed, so it proves nothing');
  // The app's run before its SIGKILL and the one after it.
  const redeliveries = logEvents([await kube.logs(pod.name, 'app', true), await kube.logs(pod.name, 'app')].join('\n'), 'redelivered');
  const redelivered = redeliveries.length;
  if (!failpoint) problems.push('the sidecar\'s failpoint did not fire: its previous run never logged "failpoint"');
  if (!redeliveries.some((event) => event.why === 'taken by a sidecar that died')) {
    problems.push('no copy taken by a dying sidecar was pushed again: the kill on a message in flight (the failpoint) went unnoticed');
  }
  assertCheck('crash', problems);
  return (
    `sidecar (its failpoint) then app (from the node) SIGKILLed (exit 137) under load and restarted, each alone (the other's run unchanged, one sandbox: ${sandbox.after}); ${String(result.accepted)} of ${messages} accepted, all processed with the right digest; ` +
    `${String(result.retriedConnection)} retries while the app was down, ${String(result.retriedBusy)} after 503, ` +
    `${redelivered} pushed again (${redeliveries.filter((event) => event.why === 'taken by a sidecar that died').length} taken by a sidecar that died)`
  );
}
