// 5g. One network namespace means one listener per address and port: with both
// containers told to use 8080, the one that binds second exits 98 ("address
// already in use") and restarts, the other keeps running, the Pod is not Ready.
import { ExitCode } from '../../../apps/shared/exit-codes.js';
import { assertCheck, CheckFailed, judgeClash } from '../../lib/checks.js';
import type { PodStatus } from '../../lib/kube.js';
import { pollUntil } from '../../lib/wait.js';
import { k8sOf, needsKubernetes, SELECTOR, type Step } from '../context.js';

export const clash: Step = {
  id: '5g',
  title: () => 'clash: both containers on port 8080; one fails with exit 98, the other keeps running, the Pod is not Ready',
  // The compose demo has its own clash: a third container on the app's port.
  unavailable: needsKubernetes,
  run: async (context, progress) => {
    const { kube, deployNoWait, clash: overlay } = k8sOf(context);
    const warnings = await deployNoWait(overlay);
    context.fact('API server warning on the clash', warnings.join(' ') || '(none)');
    progress('waiting for the losing container to fail and restart');
    let loser: PodStatus['containers'][number] | undefined;
    let clashPod: PodStatus | undefined;
    let readySince: number | null = null;
    await pollUntil(
      async () => {
        clashPod = await kube.podByLabel(SELECTOR);
        loser = clashPod.containers.find((container) => container.restartCount >= 1 && container.lastState.terminated !== undefined);
        readySince = clashPod.ready ? (readySince ?? Date.now()) : null;
        return loser !== undefined || (readySince !== null && Date.now() - readySince > 5000);
      },
      { timeoutMs: 120_000, what: 'a container of the clash Pod to fail and restart', progress },
    );
    if (!loser) {
      throw new CheckFailed('clash', ['the Pod became Ready and stayed Ready with no container restarting: the two containers did not ask for the same port']);
    }
    const winner = clashPod!.containers.find((container) => container.name !== loser!.name)!;
    // The previous container's log can lag its status by a moment ("unable to retrieve container logs").
    let previous = '';
    await pollUntil(async () => (previous = await kube.logs(clashPod!.name, loser!.name, true)).includes('"event"'), {
      timeoutMs: 15_000,
      what: `the ${loser.name} container's previous log`,
    }).catch(() => undefined);
    const problems = judgeClash({ exitCode: loser.lastState.terminated!.exitCode, output: previous, port: 8080 }, ExitCode.portInUse);
    if (!winner.state.running) problems.push(`the ${winner.name} container is not running: ${JSON.stringify(winner.state)}`);
    if ((await kube.pod(clashPod!.name)).ready) problems.push('the Pod is Ready although one of its containers cannot start');
    if (!warnings.some((warning) => /port/i.test(warning))) problems.push('the API server gave no warning about the duplicate port');
    assertCheck('clash', problems);
    const waiting = loser.state.waiting?.reason ?? 'restarting';
    return `${loser.name} exited ${loser.lastState.terminated!.exitCode} ("address already in use"), restarts ${loser.restartCount}, ${waiting}; ${winner.name} running`;
  },
};
