// The compose Pod with a real Docker engine: taking IPC sharing away from the
// sidecar makes the namespace, queue, SysV IPC and shared memory steps fail,
// saying what is not shared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, test } from 'vitest';
import { PROJECT_ROOT, PROJECT_VERSION } from '../../scripts/lib/project.js';
import type { StepResult } from '../../scripts/lib/report.js';
import { describeDocker } from '../support/describe-pod.js';

test('docker-compose.yml defaults to the image tags the harness builds', () => {
  const compose = readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
  for (const target of ['pause', 'sidecar', 'app']) expect(compose).toContain(`:-podmates/${target}:${PROJECT_VERSION}}`);
});

describeDocker('a broken compose Pod', () => {
  test('without `ipc: service:pod` on the sidecar, the namespace, queue, SysV and shared memory steps fail and say why', async () => {
    const result = await execa(
      process.execPath,
      [
        join(PROJECT_ROOT, 'dist/scripts/demo-compose.js'),
        '--json',
        '--messages',
        '5',
        '--project',
        'podmates-broken',
        '--override',
        'test/compose/sidecar-own-ipc.yml',
      ],
      { reject: false },
    );
    expect(result.exitCode).toBe(1);
    // With --json, stdout is the JSON report alone; the run's progress went to stderr.
    const report = JSON.parse(result.stdout) as { steps: StepResult[] };
    const step = (prefix: string) => report.steps.find((candidate) => candidate.name.startsWith(prefix));
    expect(step('5a. namespaces')).toMatchObject({
      status: 'failed',
      problems: [expect.stringMatching(/^ipc namespace is not shared: app is in ipc:\[\d+\], sidecar in ipc:\[\d+\]$/)],
    });
    expect(step('5c. queues')).toMatchObject({
      status: 'failed',
      problems: [expect.stringContaining('5 of 5 accepted messages never came back')],
    });
    expect(step('5k. System V IPC')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(
          /^the SysV message queue 0x[0-9a-f]{8} \(id \d+\) made in the sidecar is not in the app's IPC namespace: IPC is not shared between the containers$/,
        ),
        expect.stringMatching(/^the SysV semaphore set 0x[0-9a-f]{8} \(id \d+\) made in the sidecar is not in the app's IPC namespace/),
      ],
    });
    // Docker gives a container with an IPC namespace of its own its own /dev/shm too.
    expect(step('5l. shared memory')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(
          /^\/dev\/shm\/podmates-\S+ written in the app cannot be read in the sidecar \(ENOENT\): they do not share the Pod's \/dev\/shm \(app on device \d+:\d+, sidecar on \d+:\d+\)$/,
        ),
      ],
    });
    expect(step('5b. HTTP')).toMatchObject({ status: 'passed' }); // the network namespace is still shared
    expect(result.stderr).toMatch(/Logs and container details saved in .*artifacts\/compose-/);
  }, 240_000);
});
