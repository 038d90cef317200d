// The Podman Pod with real Podman: the sidecar run again in an IPC namespace
// of its own (`podman run --pod … --ipc private`) makes the infra, namespace,
// queue, SysV IPC and shared memory steps fail, saying what is not shared,
// while what goes with the network namespace still passes.
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { brokenRun, expectIpcNotShared } from '../support/broken-runtime.js';
import { describePodman } from '../support/describe-pod.js';

describePodman('a broken Podman Pod', () => {
  test('with the sidecar in an IPC namespace of its own, the steps that need IPC fail and say why; the Pod is taken down', async () => {
    const { stderr, step } = await brokenRun('demo-podman', ['--broken', 'sidecar-own-ipc']);
    expect(step('infra')).toMatchObject({
      status: 'failed',
      problems: [expect.stringMatching(/^the sidecar's ipc namespace is not the infra container's: ipc:\[\d+\], infra in ipc:\[\d+\]$/)],
    });
    expectIpcNotShared(step);
    expect(stderr).toMatch(/Logs and container details saved in .*artifacts\/podman-/);
    const left = await execa('podman', ['pod', 'exists', 'podmates-pod-0'], { reject: false });
    expect(left.exitCode, 'the broken Pod was left behind').toBe(1);
  }, 300_000);

  test("a volume named as an emptyDir that is not its Pod's stops the demo before kube play, and is left as it was", async () => {
    await execa('podman', ['volume', 'create', '--label', 'owner=someone-else', 'shared']);
    try {
      const { step } = await brokenRun('demo-podman', []);
      expect(step('kube play: the base')).toMatchObject({
        status: 'failed',
        problems: [expect.stringContaining('a Podman volume named shared exists: kube play would mount it into the Pod')],
      });
      const kept = await execa('podman', ['volume', 'inspect', '--format', '{{.Labels.owner}}', 'shared'], { reject: false });
      expect(kept.stdout.trim(), 'the demo removed a volume that was not its own').toBe('someone-else');
    } finally {
      await execa('podman', ['volume', 'rm', '--force', 'shared'], { reject: false });
    }
  }, 300_000);
});
