// A Job whose work goes through the app and its sidecar. With both as native
// sidecars the kubelet stops them once the work container has exited, the
// Pod succeeds and the Job completes. With the same containers as regular
// ones, the work exits 0 and the Job still never completes: a Pod succeeds
// only when all its containers have exited, and these two are servers (the
// problem service meshes lived with for years before Kubernetes 1.28).
import { judgeJobs, judgeReverseStop, type JobSeen } from './judge.js';
import { readProbeOutput } from '../../../../apps/probe/client.js';
import { judgeDelivery } from '../../judges/delivery.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Kube, PodStatus } from '../../../lib/kube.js';
import { manifestPath } from '../../../lib/manifests.js';
import type { Progress } from '../../../lib/report.js';
import { pollUntil } from '../../../lib/wait.js';
import { needsKubernetes, k8sOf, type Claim } from '../../context.js';
import { firstAt, type LifecycleLine } from '../../../../apps/shared/lifecycle.js';
import { lifeFromLogs } from '../../pod-life.js';
import { byHand } from './by-hand.js';

const MESSAGES = 20;
/** How long a Job is watched after its work exited, if it has not ended: the Job controller and the kubelet act within seconds. */
const WATCH_MS = 15_000;
const NATIVE = 'podmates-job-native';
const REGULAR = 'podmates-job-regular';
/** Their containers, in the order they start; each logs its start and exit (the work as a probe with LIFECYCLE_CONTAINER). */
const CONTAINERS = ['sidecar', 'app', 'work'];

export const step: Claim = {
  byHand,
  title: () =>
    'job: with the app and its sidecar as native sidecars a Job completes when its work exits; as regular containers it never does',
  // Its two Jobs' Pods, side by side; none of a Deployment.
  ownDeployment: { pods: 2, seconds: 28 },
  overlay: 'jobs/native-sidecar',
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, overlay } = k8sOf(context);
    await deleteJobs(kube);
    try {
      progress(
        `${NATIVE} and ${REGULAR} side by side: work sends ${MESSAGES} messages through the app and the sidecar, then exits; ` +
          'in the second the app and the sidecar are regular containers',
      );
      await Promise.all([kube.apply(overlay()), kube.apply(manifestPath('jobs/regular-sidecar'))]);
      const [native, regular] = await Promise.all([watch(kube, NATIVE, progress), watch(kube, REGULAR, progress)]);
      const nativeLife = await lifeFromLogs(kube, native.pod.name, CONTAINERS);
      context.lifecycle(`5v. ${NATIVE}: the app and the sidecar native sidecars`, nativeLife, native.seenAt);
      const delivery = judgeDelivery(readProbeOutput('load', await kube.logs(native.pod.name, 'work')), MESSAGES);
      context.lifecycle(
        `5v. ${REGULAR}: the app and the sidecar regular containers`,
        await lifeFromLogs(kube, regular.pod.name, CONTAINERS),
        regular.seenAt,
      );
      assertCheck('job', [
        ...delivery.map((problem) => `${NATIVE}: ${problem}`),
        ...judgeJobs({ native: native.seen, regular: regular.seen, watchedMs: regular.watchedMs }),
        // The order of their stop, once the kubelet stopped them: a Job that never completed is named above.
        ...(native.seen.complete ? judgeReverseStop(nativeLife).map((problem) => `${NATIVE}: ${problem}`) : []),
      ]);
      return (
        `${NATIVE}: work exited 0 after ${MESSAGES} messages through the app and the sidecar, both then stopped by the kubelet ` +
        `in the reverse order of their start (the app's SIGTERM, ${reverseGap(nativeLife)} ms later the sidecar's), the Job Complete; ` +
        `${REGULAR}: work exited 0, and ${Math.round(regular.watchedMs / 1000)} s later the Job is still active, its Pod ${regular.pod.phase} with ${regular.seen.running.join(' and ')} running`
      );
    } finally {
      await deleteJobs(kube);
    }
  },
};

/** The Job's Complete or Failed condition once it has one, or null while it runs. */
async function conditionOf(kube: Kube, job: string): Promise<'Complete' | 'Failed' | null> {
  const { status } = (await kube.namespaced('batch/v1', 'jobs', job)) as {
    status?: { conditions?: Array<{ type: string; status: string }> };
  };
  const types = (status?.conditions ?? []).filter((condition) => condition.status === 'True').map((condition) => condition.type);
  return types.includes('Complete') ? 'Complete' : types.includes('Failed') ? 'Failed' : null;
}

/** Until the Job's work has exited, then until the Job ends or WATCH_MS has passed: how it stood then. */
async function watch(
  kube: Kube,
  job: string,
  progress: Progress,
): Promise<{ pod: PodStatus; seen: JobSeen; watchedMs: number; seenAt: string }> {
  await pollUntil(async () => workExitOf(await podOf(kube, job)) !== undefined, {
    timeoutMs: 120_000,
    what: `${job}'s work to exit`,
    progress,
  });
  const exited = Date.now();
  let condition: Awaited<ReturnType<typeof conditionOf>> = null;
  await pollUntil(async () => (condition = await conditionOf(kube, job)) !== null || Date.now() - exited > WATCH_MS, {
    timeoutMs: WATCH_MS + 10_000,
    what: `${job} to end, or ${WATCH_MS / 1000} s`,
  });
  const watchedMs = Date.now() - exited;
  const seenAt = new Date().toISOString();
  const pod = await podOf(kube, job);
  const running = [...pod.initContainers, ...pod.containers].filter((container) => container.state.running !== undefined);
  return {
    pod,
    seen: { job, complete: condition === 'Complete', workExit: workExitOf(pod), running: running.map((container) => container.name) },
    watchedMs,
    seenAt,
  };
}

/** From the app's SIGTERM to the sidecar's. */
const reverseGap = (life: LifecycleLine[]) => firstAt(life, 'sidecar', 'stopping')! - firstAt(life, 'app', 'stopping')!;

/** The Job's one Pod, finished or not. */
async function podOf(kube: Kube, job: string): Promise<PodStatus> {
  const [pod] = await kube.podsByLabel(`batch.kubernetes.io/job-name=${job}`, 'with finished');
  if (!pod) throw new Error(`${job} has no Pod`);
  return pod;
}

const workExitOf = (pod: PodStatus) => pod.containers.find((container) => container.name === 'work')?.state.terminated?.exitCode;

async function deleteJobs(kube: Kube): Promise<void> {
  // Foreground: their Pods (and so their queues' charge) are gone when it returns.
  await kube.inNamespace(['delete', 'job', NATIVE, REGULAR, '--ignore-not-found', '--cascade=foreground', '--wait=true'], {
    timeoutMs: 90_000,
  });
}
