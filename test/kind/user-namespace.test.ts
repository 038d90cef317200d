// `npm run demo:userns`'s own step on a kind cluster of the test's own, from
// the user-namespace node image: 5x passes on the Pod with `hostUsers: false`
// (the other steps of demo:userns are run whole by .ci/run), its by-hand
// commands show what docs/by-hand.md says, and the plain base (hostUsers left
// at true) on the same node makes it fail naming the node's user namespace.
// Then the same overlay on the main node (containerd 1.6, runc 1.1): what
// becomes of hostUsers: false there.
import { afterAll, expect, test } from 'vitest';
import { judgeByHand } from '../../scripts/demo/by-hand.js';
import { STEPS } from '../../scripts/demo/claims/index.js';
import { airgapPins, KindCluster, planCluster } from '../../scripts/lib/kind.js';
import { manifestPath, NAME_LABEL } from '../../scripts/lib/manifests.js';
import type { StepResult } from '../../scripts/lib/report.js';
import { pollUntil } from '../../scripts/lib/wait.js';
import { describeIf } from '../support/describe-pod.js';
import { deleteCluster, demo, kindBlocker, typeByHand } from '../support/kind-demo.js';

const CLUSTER = 'podmates-userns-test';
const userns = (...args: string[]) => demo(['--userns', '--name', CLUSTER, '--keep', ...args]);
const stepX = (steps: StepResult[]) => steps.find((step) => step.name.startsWith('5x'));

describeIf('npm run demo:userns: the Pod in a user namespace of its own', kindBlocker, () => {
  afterAll(() => deleteCluster(CLUSTER));

  test('5x passes on the Pod with hostUsers: false', async () => {
    const { exitCode, steps } = await userns('--only', 'x');
    expect(stepX(steps)).toMatchObject({ status: 'passed', problems: [] });
    expect(exitCode).toBe(0);
  }, 600_000);

  test("5x by hand, on the cluster it kept: docs/by-hand.md's commands show what the page says", async () => {
    const step = STEPS.find((candidate) => candidate.id === '5x')!;
    expect(step.byHand.cluster).toBe('podmates-userns');
    for (const command of step.byHand.commands) {
      const { stdout, stderr } = await typeByHand(CLUSTER, command.run);
      const problem = judgeByHand(step.id, command, stdout);
      expect(problem && `${problem}\n(stderr: ${stderr || 'nothing'})`).toBeNull();
    }
  }, 300_000);

  test("the plain base on the same node: 5x says the Pod is in the node's user namespace", async () => {
    const { exitCode, steps } = await userns('--only', 'x', '--base', manifestPath('base'));
    expect(exitCode).toBe(1);
    expect(stepX(steps)).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(
          /^the app is in the node's user namespace \(user:\[\d+\]\): hostUsers: false was not set, or the node's runtime ignored it$/,
        ),
        expect.stringMatching(/^a second Pod of the Deployment is in the same user namespace \(user:\[\d+\]\)$/),
        "the app's uid_map maps UIDs 0-4294967294 to the same node UIDs: no user namespace of its own",
        "the second Pod's uid_map maps UIDs 0-4294967294 to the same node UIDs: no user namespace of its own",
      ],
    });
  }, 600_000);
});

describeIf('the user-namespace overlay on the main node (containerd 1.6, runc 1.1)', kindBlocker, () => {
  const MAIN = 'podmates-userns-main';
  afterAll(() => deleteCluster(MAIN));

  test('the kubelet makes no sandbox for the Pod, and its events say the runtime has no user namespaces', async () => {
    const cluster = new KindCluster(await planCluster(airgapPins().nodeImage), MAIN);
    await cluster.create(() => {});
    await cluster.load(['podmates/app:0.1.0', 'podmates/sidecar:0.1.0']);
    const kube = cluster.kube();
    await kube.apply(manifestPath('overlays/user-namespace'));
    let said = '';
    await pollUntil(
      async () => {
        said = (
          await kube.inNamespace([
            'get',
            'events',
            '--field-selector',
            'reason=FailedCreatePodSandBox',
            '-o',
            'jsonpath={.items[*].message}',
          ])
        ).stdout;
        return said !== '';
      },
      { timeoutMs: 120_000, what: 'a FailedCreatePodSandBox event' },
    );
    expect(said).toContain("can't set `spec.hostUsers: false`, runtime does not support user namespaces");
    const pods = await kube.podsByLabel(`${NAME_LABEL}=podmates`);
    expect(pods.map((pod) => [pod.phase, pod.containers.some((container) => container.state.running)])).toEqual([['Pending', false]]);
  }, 600_000);
});
