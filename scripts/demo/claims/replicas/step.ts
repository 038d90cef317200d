// Four replicas on one node, all running as UID 10001. The kernel
// charges every POSIX queue to that UID's RLIMIT_MSGQUEUE (819,200 bytes) on the
// node, whichever Pod (IPC namespace) it is in: with the ConfigMap's sizes a
// Pod takes 83,840 bytes, so four take 335,360 and all start. The other Pods
// of the demo on the node (the base Pod, the steps running beside this one)
// draw on the same budget: the report counts them all.
import { judgeRoundTrip } from '../../judges/round-trip.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Kube, PodStatus } from '../../../lib/kube.js';
import { NAME_LABEL } from '../../../lib/manifests.js';
import type { Progress } from '../../../lib/report.js';
import { pollUntil } from '../../../lib/wait.js';
import { k8sOf, needsKubernetes, type OwnDeployment, type QueueBudget, type Claim } from '../../context.js';
import { PROBE_POD } from '../../probe-pod.js';
import { byHand } from './by-hand.js';

const REPLICAS = 4;
const PER_POD = 20;

export const step: Claim = {
  byHand,
  title: () => 'replicas: four Pods of one UID on the node, each with its own queues, within the queue budget',
  ownDeployment: { pods: REPLICAS, seconds: 20 },
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, base, own, queueBudget } = k8sOf(context);
    // Scaled up at once, not after its first Pod is Ready.
    await own.deployNoWait(base);
    return replicas(kube, own, queueBudget, progress);
  },
};

async function replicas(kube: Kube, { name, selector }: OwnDeployment, budget: QueueBudget, progress: Progress): Promise<string> {
  progress(`scaling to ${REPLICAS} replicas`);
  await kube.inNamespace(['scale', `deployment/${name}`, `--replicas=${REPLICAS}`]);
  // Until all are Ready, or one of them fails to start (a crash loop would keep a rollout waiting).
  let pods: PodStatus[] = [];
  await pollUntil(
    async () => {
      pods = (await kube.podsByLabel(selector)).filter((pod) => !pod.terminating);
      const failing = pods.some((pod) => pod.containers.some((c) => c.lastState.terminated !== undefined));
      return failing || (pods.length === REPLICAS && pods.every((pod) => pod.ready));
    },
    { timeoutMs: 120_000, what: `${REPLICAS} Ready Pods`, progress },
  );
  const problems: string[] = [];
  if (pods.length !== REPLICAS) problems.push(`${pods.length} Pods, expected ${REPLICAS}`);
  const nodes = new Set(pods.map((pod) => pod.node));
  // Each Pod on its own, all at once.
  const perPodProblems = await Promise.all(
    pods.map(async (pod): Promise<string[]> => {
      const failed = pod.containers.filter((c) => c.lastState.terminated !== undefined);
      const found: string[] = [];
      for (const container of failed) {
        // Its own last words, e.g. the queue budget it ran out of. The previous
        // container's log can lag its status by a moment.
        let said = '';
        const errorLine = async () =>
          (said = (await kube.logs(pod.name, container.name, true)).split('\n').find((line) => line.includes('"level":"error"')) ?? '') !==
          '';
        await pollUntil(errorLine, { timeoutMs: 15_000, what: `the ${container.name} container's previous log` }).catch(() => undefined);
        const message = said.startsWith('{') ? String((JSON.parse(said) as { message?: string }).message) : 'no error logged';
        found.push(`${pod.name}: ${container.name} exited ${container.lastState.terminated!.exitCode} and restarts: ${message}`);
      }
      if (failed.length > 0 || !pod.ready) return found;
      // Through this Pod's own app, queues and sidecar.
      const result = await kube.probe(PROBE_POD, 'probe').roundtrip(`http://${pod.ip}:8080`, PER_POD, 30_000);
      return judgeRoundTrip(result, PER_POD).map((problem) => `${pod.name}: ${problem}`);
    }),
  );
  problems.push(...perPodProblems.flat());
  assertCheck('replicas', problems);
  const { perPod, limit } = budget;
  // Every Pod of the demo's Deployments on that node: the probe Pod makes no queue.
  const node = pods[0]!.node;
  const onNode = (await kube.podsByLabel(NAME_LABEL)).filter((pod) => pod.node === node && !pod.terminating).length;
  return (
    `${pods.length} of ${REPLICAS} Pods Ready on ${nodes.size === 1 ? `one node (${node})` : `${nodes.size} nodes`}, 0 restarts, ` +
    `${PER_POD} messages through each Pod's own queues; UID 10001's queues on the node, for all ${onNode} Pods of the demo there: ${onNode} x ${perPod} = ${onNode * perPod} of ${limit} bytes`
  );
}
