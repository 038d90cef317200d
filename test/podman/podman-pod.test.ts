// The Podman Pod with real Podman: the sidecar run again in an IPC namespace
// of its own (`podman run --pod … --ipc private`) makes the infra, namespace,
// queue, SysV IPC and shared memory steps fail, saying what is not shared,
// while what goes with the network namespace still passes.
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import type { ReportJSON, StepResult } from '../../scripts/lib/report.js';
import { describePodman } from '../support/describe-pod.js';

describePodman('a broken Podman Pod', () => {
  test('with the sidecar in an IPC namespace of its own, the steps that need IPC fail and say why; the Pod is taken down', async () => {
    const result = await execa(
      process.execPath,
      [join(PROJECT_ROOT, 'dist/scripts/demo-podman.js'), '--json', '--messages', '5', '--broken', 'sidecar-own-ipc'],
      { reject: false },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as ReportJSON;
    const step = (prefix: string): StepResult | undefined => report.steps.find((candidate) => candidate.name.startsWith(prefix));
    expect(step('infra')).toMatchObject({
      status: 'failed',
      problems: [expect.stringMatching(/^the sidecar's ipc namespace is not the infra container's: ipc:\[\d+\], infra in ipc:\[\d+\]$/)],
    });
    expect(step('5a. namespaces')).toMatchObject({
      status: 'failed',
      problems: [expect.stringMatching(/^ipc namespace is not shared: app is in ipc:\[\d+\], sidecar in ipc:\[\d+\]$/)],
    });
    expect(step('5c. queues')).toMatchObject({
      status: 'failed',
      problems: [expect.stringContaining('5 of 5 accepted messages never came back')],
    });
    expect(step('5k. System V IPC')?.status).toBe('failed');
    expect(step('5k. System V IPC')?.problems?.[0]).toContain(
      "is not in the app's IPC namespace: IPC is not shared between the containers",
    );
    expect(step('5l. shared memory')).toMatchObject({
      status: 'failed',
      problems: [expect.stringContaining("they do not share the Pod's /dev/shm")],
    });
    // The network namespace is still the infra container's.
    expect(step('5b. HTTP')).toMatchObject({ status: 'passed' });
    expect(result.stderr).toMatch(/Logs and container details saved in .*artifacts\/podman-/);
    const left = await execa('podman', ['pod', 'exists', 'podmates-pod-0'], { reject: false });
    expect(left.exitCode, 'the broken Pod was left behind').toBe(1);
  }, 300_000);
});
