// Replicas of one UID added until one fails: the kernel charges every POSIX
// queue to that UID's RLIMIT_MSGQUEUE (819,200 bytes), whichever Pod (IPC
// namespace) it is in. With the ConfigMap's sizes a Pod takes 83,840 bytes, so
// 9 fit; the base Pod holds one share, and this step asks for as many replicas
// as the whole budget, one more than fit. It runs with the budget to itself
// (no other step's Pods beside it), and finds the boundary instead of
// computing it: on kind every node is a container on one kernel, so one
// budget for the whole cluster; on other clusters one per node. Then, with
// the budget full, a rollout that never adds a Pod (maxSurge 0): its first
// new Pod still finds no room while the old one terminates.
import { judgeRoundTrip } from '../../judges/round-trip.js';
import { judgeBudget, judgeReplacement, oldPodsAt, oldPodsGoneAt, type OldPodsSeen, type ReplicaEnd } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Kube, PodStatus } from '../../../lib/kube.js';
import { NAME_LABEL } from '../../../lib/manifests.js';
import type { Progress } from '../../../lib/report.js';
import { pollUntil } from '../../../lib/wait.js';
import { k8sOf, needsKubernetes, type OwnDeployment, type QueueBudget, type Claim } from '../../context.js';
import { PROBE_POD } from '../../probe-pod.js';
import { byHand } from './by-hand.js';

const PER_POD = 20;

export const step: Claim = {
  byHand,
  title: (context) =>
    `replicas: ${context.k8s?.userNamespaces ? "Pods with user namespaces of their own (a node UID each), all made by the node's root," : 'Pods of one UID'} ` +
    `added until the queue budget runs out (${context.k8s?.queueBudget.pods ?? '?'} fit, computed), each Ready one carrying messages through its own queues; ` +
    'then a rollout with no surge on the full budget',
  // The whole budget: Pods of other steps beside it would move the boundary.
  ownDeployment: { pods: Number.POSITIVE_INFINITY, seconds: 75 },
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, base, own, queueBudget, cluster, podsStarted } = k8sOf(context);
    // Scaled up at once, not after its first Pod is Ready.
    await own.deployNoWait(base);
    const found = await replicas(kube, own, queueBudget, cluster !== null, progress);
    // What follows mostly waits: the steps that look at the base Pod may start.
    podsStarted?.();
    return `${found.said}; ${await rolloutOnFullBudget(kube, own, found, progress)}`;
  },
};

/** What the first phase found: the Pods that started, and where the others of the UID are. */
interface Boundary {
  said: string;
  started: PodStatus[];
  othersByNode: Record<string, number>;
  fit: number;
  oneKernel: boolean;
}

const failedOf = (pod: PodStatus) => pod.containers.filter((c) => c.lastState.terminated !== undefined);

async function replicas(
  kube: Kube,
  { name, selector }: OwnDeployment,
  budget: QueueBudget,
  oneKernel: boolean,
  progress: Progress,
): Promise<Boundary> {
  // One more than fit beside the base Pod, which holds its share.
  const wanted = budget.pods;
  progress(`scaling to ${wanted} replicas: ${budget.pods} Pods of UID 10001 fit in ${budget.limit} bytes, the base Pod is one`);
  await kube.inNamespace(['scale', `deployment/${name}`, `--replicas=${wanted}`]);
  // Until each is Ready or has failed to start (a crash loop would keep a rollout waiting).
  let pods: PodStatus[] = [];
  await pollUntil(
    async () => {
      pods = (await kube.podsByLabel(selector)).filter((pod) => !pod.terminating);
      return pods.length === wanted && pods.every((pod) => pod.ready || failedOf(pod).length > 0);
    },
    { timeoutMs: 180_000, what: `${wanted} Pods, each Ready or failed`, progress },
  );
  const ends = await Promise.all(
    pods.map(async (pod): Promise<ReplicaEnd> => {
      const failure = (await failureOf(kube, pod))?.said ?? null;
      return { pod: pod.name, node: pod.node ?? '?', ready: pod.ready, failure };
    }),
  );
  // The demo's other Pods of the UID that hold a share: the base Pod (the probe Pod makes no queue).
  const others = (await kube.podsByLabel(NAME_LABEL)).filter((pod) => !pod.terminating && !pods.some((mine) => mine.name === pod.name));
  const othersByNode: Record<string, number> = {};
  for (const pod of others) othersByNode[pod.node ?? '?'] = (othersByNode[pod.node ?? '?'] ?? 0) + 1;
  const problems = judgeBudget({ replicas: ends, othersByNode, fit: budget.pods, oneKernel });
  // Through each Ready Pod's own app, queues and sidecar, all at once.
  const ready = pods.filter((pod) => pod.ready && failedOf(pod).length === 0);
  const roundTrips = await Promise.all(
    ready.map(async (pod) => {
      const result = await kube.probe(PROBE_POD, 'probe').roundtrip(`http://${pod.ip}:8080`, PER_POD, 30_000);
      return judgeRoundTrip(result, PER_POD).map((problem) => `${pod.name}: ${problem}`);
    }),
  );
  problems.push(...roundTrips.flat());
  assertCheck('replicas', problems);
  const failed = ends.filter((end) => end.failure !== null);
  const nodes = new Set(ends.map((end) => end.node));
  const where = oneKernel
    ? `on kind, one kernel for ${nodes.size === 1 ? 'its node' : `all ${nodes.size} nodes`}`
    : `${nodes.size} node(s)`;
  const said =
    `${ready.length} of ${wanted} replicas Ready beside ${others.length} other Pod(s) of UID 10001 (${where}), ${PER_POD} messages through each; ` +
    (failed.length > 0 ? `${failed.length} failed: ${failed[0]!.failure!.slice(0, 160)}…` : 'none failed: the budget held them all');
  return { said, started: ready, othersByNode, fit: budget.pods, oneKernel };
}

/**
 * The Pods that started, and nothing else, then a rollout that replaces one
 * at a time without adding any (maxSurge 0, maxUnavailable 1). The
 * Deployment controller does not count a terminating Pod, so it starts the
 * replacement at once; the old Pod keeps its queues, and their charge, until
 * its containers have stopped (preStop, then the drain).
 */
async function rolloutOnFullBudget(kube: Kube, { name, selector }: OwnDeployment, found: Boundary, progress: Progress): Promise<string> {
  const keep = found.started.length;
  await kube.inNamespace(['scale', `deployment/${name}`, `--replicas=${keep}`]);
  let before: PodStatus[] = [];
  await pollUntil(
    async () => {
      before = await kube.podsByLabel(selector);
      return before.length === keep && before.every((pod) => pod.ready && !pod.terminating);
    },
    { timeoutMs: 90_000, what: `the ${keep} Pods that started, and no other`, progress },
  );
  const old = new Set(before.map((pod) => pod.name));
  progress(`a rollout with maxSurge 0, maxUnavailable 1 while ${keep} Ready Pods fill the budget`);
  const noSurge = { spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } };
  await kube.inNamespace(['patch', `deployment/${name}`, '--type=merge', '-p', JSON.stringify(noSurge)]);
  await kube.inNamespace(['rollout', 'restart', `deployment/${name}`]);
  const started = Date.now();
  // The first new Pod, once it has failed or is Ready, and every look at how many old Pods were terminating.
  let fresh: PodStatus | undefined;
  const looks: OldPodsSeen[] = [];
  const look = async () => {
    const at = Date.now() - started;
    const pods = await kube.podsByLabel(selector);
    looks.push({ at, count: pods.filter((pod) => old.has(pod.name) && pod.terminating).length });
    return pods;
  };
  await pollUntil(
    async () => {
      fresh = (await look()).find((pod) => !old.has(pod.name));
      return fresh !== undefined && (fresh.ready || failedOf(fresh).length > 0);
    },
    { timeoutMs: 60_000, what: 'the rollout to start a Pod, and that Pod to fail or become Ready', progress, intervalMs: 250 },
  );
  const pod = fresh!;
  const failed = await failureOf(kube, pod);
  const failure = failed?.said ?? null;
  const failedAfterMs = failed ? (failed.at ?? Date.now()) - started : null;
  const ready = await pollUntil(async () => (await look()).some((p) => p.name === pod.name && p.ready), {
    timeoutMs: 90_000,
    what: `${pod.name} to become Ready once the old Pod has gone`,
    progress,
    intervalMs: 250,
  }).then(
    () => true,
    () => false,
  );
  const node = pod.node ?? '?';
  const onItsKernel = found.oneKernel
    ? keep + Object.values(found.othersByNode).reduce((sum, count) => sum + count, 0)
    : before.filter((p) => p.node === node).length + (found.othersByNode[node] ?? 0);
  const oldTerminating = oldPodsAt(looks, failedAfterMs ?? looks.at(-1)!.at);
  const oldGoneAfterMs = oldPodsGoneAt(looks);
  assertCheck(
    'replicas',
    judgeReplacement({
      pod: pod.name,
      failure,
      oldTerminating,
      failedAfterMs,
      oldGoneAfterMs,
      ready,
      kernelFull: onItsKernel >= found.fit,
    }),
  );
  const readyAfter = ((Date.now() - started) / 1000).toFixed(1);
  return failure === null
    ? `the rollout's first Pod started at once, on a node with room (${node})`
    : `a rollout with no surge on the full budget: its first Pod failed on the budget ${(failedAfterMs! / 1000).toFixed(1)} s in, ` +
        `beside ${oldTerminating} terminating old Pod that kept its charge, and was Ready ${readyAfter} s in, after that Pod had gone (${oldGoneAfterMs === null ? 'not seen going' : `${(oldGoneAfterMs / 1000).toFixed(1)} s in`})`;
}

/**
 * The container that failed to start, the error it logged before it exited,
 * and when (its log line's own time); null when none failed.
 */
async function failureOf(kube: Kube, pod: PodStatus): Promise<{ said: string; at: number | null } | null> {
  const failed = failedOf(pod)[0];
  if (failed === undefined) return null;
  // The previous container's log can lag its status by a moment.
  let line = '';
  const errorLine = async () =>
    (line = (await kube.logs(pod.name, failed.name, true)).split('\n').find((l) => l.includes('"level":"error"')) ?? '') !== '';
  await pollUntil(errorLine, { timeoutMs: 15_000, what: `the ${failed.name} container's previous log` }).catch(() => undefined);
  const { message, ts } = line.startsWith('{')
    ? (JSON.parse(line) as { message?: string; ts?: string })
    : { message: 'no error logged', ts: undefined };
  const said = `${failed.name} exited ${failed.lastState.terminated!.exitCode}: ${String(message)}`;
  return { said, at: ts === undefined ? null : Date.parse(ts) };
}
