// One network namespace means one listener per address and port: with both
// containers told to use 8080, the one that binds second exits 98 ("address
// already in use") and keeps failing, the other keeps running and is Ready on
// its own, and the Pod is never Ready: because of the loser alone.
import { ExitCode } from '../../../../apps/shared/exit-codes.js';
import { judgeClash } from './judge.js';
import { assertCheck, CheckFailed } from '../../../lib/check-failed.js';
import type { ContainerStatus, PodStatus } from '../../../lib/kube.js';
import { pollUntil } from '../../../lib/wait.js';
import { k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { recordOf } from '../../pod-life.js';
import { byHand } from './by-hand.js';

/** How long the winner is watched: longer than a liveness period (10 s), so its own probes have run against it. */
const WATCH_MS = 12_000;
/** The loser's first exit comes within seconds of its start; by then, with none, nothing clashed. */
const FIRST_FAILURE_MS = 45_000;
/** The winner's readiness probes run every 2 s (app) or 10 s (sidecar): Ready by then, or its own readiness fails. */
const READY_WITHIN_MS = 30_000;

export const step: Claim = {
  byHand,
  overlay: 'clash',
  title: () =>
    'clash: both containers on port 8080; one keeps failing with exit 98, the other keeps running and is Ready, the Pod never is',
  ownDeployment: { pods: 1, seconds: 25 },
  // The compose demo has its own clash: a third container on the app's port.
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, own, overlay } = k8sOf(context);
    const warnings = await own.deployNoWait(overlay());
    context.fact('API server warning on the clash', warnings.join(' ') || '(none)');
    progress('waiting for the losing container to fail and restart');
    let pod: PodStatus | undefined;
    let loser: ContainerStatus | undefined;
    let readySince: number | null = null;
    let runningSince: number | null = null;
    await pollUntil(
      async () => {
        pod = await kube.podByLabel(own.selector);
        loser = pod.containers.find((container) => container.restartCount >= 1 && container.lastState.terminated !== undefined);
        readySince = pod.ready ? (readySince ?? Date.now()) : null;
        runningSince = pod.containers.every((container) => container.state.running) ? (runningSince ?? Date.now()) : null;
        const quiet = runningSince !== null && Date.now() - runningSince > FIRST_FAILURE_MS;
        return loser !== undefined || (readySince !== null && Date.now() - readySince > 5000) || quiet;
      },
      { timeoutMs: 120_000, what: 'a container of the clash Pod to fail and restart', progress },
    );
    if (!loser && pod?.ready) {
      throw new CheckFailed('clash', [
        'the Pod became Ready and stayed Ready with no container restarting: the two containers did not ask for the same port',
      ]);
    }
    if (!loser) {
      // Not Ready, and yet nothing failed: something else keeps it so, which a clash would only hide.
      const unready = pod!.containers.filter((container) => !container.ready).map((container) => container.name);
      throw new CheckFailed('clash', [
        `no container failed in ${FIRST_FAILURE_MS / 1000} s, so nothing clashed; the Pod is not Ready because ${unready.join(' and ')} ${unready.length === 1 ? 'is' : 'are'} not Ready on ${unready.length === 1 ? 'its' : 'their'} own`,
      ]);
    }
    const loserName = loser.name;
    const winnerName = pod!.containers.find((container) => container.name !== loserName)!.name;
    // Then watch on: the loser fails again (not a one-off), the winner is never
    // restarted (not by the clash, not by its own probes), the Pod is never Ready.
    progress(`watching ${WATCH_MS / 1000} s: ${loserName} must fail again, ${winnerName} keep running, the Pod stay not Ready`);
    const problems: string[] = [];
    const watchStart = Date.now();
    let failures = loser.restartCount;
    // The winner's own readiness must pass: else the Pod would not be Ready even without the clash.
    let winnerReady = false;
    await pollUntil(
      async () => {
        pod = await kube.pod(pod!.name);
        const winner = pod.containers.find((container) => container.name === winnerName)!;
        loser = pod.containers.find((container) => container.name === loserName)!;
        winnerReady ||= winner.ready;
        // Restarts so far, plus the instance that is down now (waiting in back-off, or just exited).
        failures = loser.restartCount + (loser.state.running ? 0 : 1);
        if (pod.ready) problems.push('the Pod became Ready although one of its containers cannot start');
        if (winner.restartCount > 0 || !winner.state.running)
          problems.push(
            `the ${winnerName} container, which holds the port, stopped or restarted: ${JSON.stringify(winner.state)}, last ${JSON.stringify(winner.lastState)}`,
          );
        const watched = Date.now() - watchStart;
        return problems.length > 0 || (failures >= 2 && watched >= WATCH_MS && (winnerReady || watched >= READY_WITHIN_MS));
      },
      {
        timeoutMs: 90_000,
        what: `the end of the watch (${loserName} failed twice, ${WATCH_MS / 1000} s passed, ${winnerName} Ready)`,
        progress,
        intervalMs: 1000,
      },
    );
    if (!winnerReady)
      problems.push(
        `the ${winnerName} container, which holds the port, never became Ready: the Pod would not be Ready even without the clash`,
      );
    // The previous container's log can lag its status by a moment ("unable to retrieve container logs").
    let previous = '';
    await pollUntil(async () => (previous = await kube.logs(pod!.name, loserName, true)).includes('"event"'), {
      timeoutMs: 15_000,
      what: `the ${loserName} container's previous log`,
    }).catch(() => undefined);
    problems.push(
      ...judgeClash({ exitCode: loser.lastState.terminated?.exitCode ?? null, output: previous, port: 8080 }, ExitCode.portInUse),
    );
    if (!warnings.some((warning) => /port/i.test(warning))) problems.push('the API server gave no warning about the duplicate port');
    // Read through the container that holds the port: the other is in its back-off.
    context.lifecycle(
      `5g. clash: ${pod!.name}, ${loserName} failing on the port ${winnerName} holds`,
      await recordOf(kube, pod!.name, winnerName),
    );
    assertCheck('clash', problems);
    const waiting = loser.state.waiting?.reason ?? 'restarting';
    return `${loserName} exited ${loser.lastState.terminated!.exitCode} ("address already in use") ${failures} times, ${waiting}; ${winnerName} Ready and running ${Math.round((Date.now() - watchStart) / 1000)} s more with 0 restarts, the Pod never Ready`;
  },
};
