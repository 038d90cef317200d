// 5h. The sidecar, then the app, are SIGKILLed under load (what the OOM
// killer or a liveness failure past the grace period does). The kubelet
// restarts each one in the same Pod: same IPC namespace, so the same queues,
// and the same emptyDir, so the app's journal. Every message answered 202 must
// still be processed, with the right result.
import { setTimeout as sleep } from 'node:timers/promises';
import { assertCheck, judgeDelivery } from '../../lib/checks.js';
import type { KindCluster } from '../../lib/kind.js';
import type { Kube, PodStatus } from '../../lib/kube.js';
import type { Progress } from '../../lib/report.js';
import { pollUntil } from '../../lib/wait.js';
import { k8sOf, needsKubernetes, type Step } from '../context.js';
import { logEvents } from '../in-pod.js';
import { startLoad } from '../probe-pod.js';

async function killAndWaitForRestart(kube: Kube, cluster: KindCluster, podName: string, container: string, progress: Progress): Promise<number> {
  const before = (await kube.pod(podName)).containers.find((c) => c.name === container)!;
  progress(`SIGKILL to the ${container} container's process, from the node`);
  await cluster.killContainerProcess((await kube.pod(podName)).node!, before.containerID!);
  let exitCode = -1;
  await pollUntil(
    async () => {
      const now = (await kube.pod(podName)).containers.find((c) => c.name === container)!;
      exitCode = now.lastState.terminated?.exitCode ?? -1;
      return now.restartCount > before.restartCount && now.ready;
    },
    { timeoutMs: 90_000, what: `the ${container} container to be restarted by the kubelet and ready`, progress },
  );
  return exitCode;
}

export const step: Step = {
  id: '5h',
  title: (context) => `crash: the sidecar, then the app, SIGKILLed under load (${underLoad(context.messages)} messages); nothing accepted is lost`,
  ownDeployment: { pods: 1, seconds: 35 },
  unavailable: (context) =>
    needsKubernetes(context) ?? (context.k8s?.cluster ? null : "SIGKILL of a container's PID 1 is sent from its node, which the demo reaches only on kind"),
  run: async (context, progress) => {
    const { kube, cluster, base, own } = k8sOf(context);
    return crashUnderLoad(kube, cluster!, await own.deploy(base, progress), underLoad(context.messages), progress);
  },
};

/** Five times --messages, spread over LOAD_MS: the load goes on across both restarts (5h) or the switch to the new Pod (5i). */
export const underLoad = (messages: number) => messages * 5;
export const LOAD_MS = 15_000;

async function crashUnderLoad(kube: Kube, cluster: KindCluster, pod: PodStatus, messages: number, progress: Progress): Promise<string> {
  const load = startLoad(kube, `http://${pod.ip}:8080`, messages, LOAD_MS, 180_000);
  await sleep(1000);
  const sidecarExit = await killAndWaitForRestart(kube, cluster, pod.name, 'sidecar', progress);
  const appExit = await killAndWaitForRestart(kube, cluster, pod.name, 'app', progress);
  progress('waiting for the load to verify every accepted message');
  const result = await load;
  const problems = judgeDelivery(result, messages);
  // 137 = 128 + 9: the kubelet saw each container die of SIGKILL, not exit by itself.
  if (sidecarExit !== 137) problems.push(`the sidecar's last exit code is ${sidecarExit}, not 137 (SIGKILL)`);
  if (appExit !== 137) problems.push(`the app's last exit code is ${appExit}, not 137 (SIGKILL)`);
  if (result.retriedConnection === 0) problems.push('no post failed on the connection: the load was over before the app was SIGKILLed, so it proves nothing');
  assertCheck('crash', problems);
  // The app's run before its SIGKILL and the one after it.
  const redelivered = logEvents([await kube.logs(pod.name, 'app', true), await kube.logs(pod.name, 'app')].join('\n'), 'redelivered').length;
  return (
    `sidecar then app SIGKILLed (exit 137) under load and restarted; ${String(result.accepted)} of ${messages} accepted, all processed with the right digest; ` +
    `${String(result.retriedConnection)} retries while the app was down, ${String(result.retriedBusy)} after 503, ${redelivered} redelivered`
  );
}
