// The compose Pod with a real Docker engine: taking IPC sharing away from the
// sidecar makes the namespace, queue, SysV IPC and shared memory steps fail,
// saying what is not shared; taking the health condition away from the app's
// depends_on makes the start-order step fail, saying the app started first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT, PROJECT_VERSION } from '../../scripts/lib/project.js';
import { brokenRun, expectIpcNotShared } from '../support/broken-runtime.js';
import { describeDocker } from '../support/describe-pod.js';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

test('docker-compose.yml defaults to the image tags the harness builds', () => {
  const compose = read('docker-compose.yml');
  for (const target of ['pause', 'sidecar', 'app']) expect(compose).toContain(`:-podmates/${target}:${PROJECT_VERSION}}`);
});

test("the sidecar's healthcheck runs the command of its Kubernetes probes", () => {
  type Container = { name: string; readinessProbe?: { exec?: { command: string[] } } };
  const deployment = parse(read('manifests/base/deployment.yaml')) as { spec: { template: { spec: { containers: Container[] } } } };
  const probe = deployment.spec.template.spec.containers.find((container) => container.name === 'sidecar')?.readinessProbe?.exec?.command;
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: { sidecar: { healthcheck?: { test: string[] } } } };
  expect(probe).toBeDefined();
  expect(compose.services.sidecar.healthcheck?.test).toEqual(['CMD', ...probe!]);
});

/** `npm run demo:compose` with an override that breaks the Pod. */
const brokenCompose = (project: string, override: string) => brokenRun('demo-compose', ['--project', project, '--override', override]);

describeDocker('a broken compose Pod', () => {
  test('without `ipc: service:pod` on the sidecar, the namespace, queue, SysV and shared memory steps fail and say why', async () => {
    const { stderr, step } = await brokenCompose('podmates-broken', 'test/compose/sidecar-own-ipc.yml');
    expectIpcNotShared(step);
    expect(stderr).toMatch(/Logs and container details saved in .*artifacts\/compose-/);
  }, 240_000);

  test("without `condition: service_healthy` on the app's depends_on, the start-order step alone fails: the app started first", async () => {
    const { report, step } = await brokenCompose('podmates-unordered', 'test/compose/app-without-health-condition.yml');
    const iso = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
    expect(step('start order')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(
          new RegExp(`^the app's process started at ${iso}, before the sidecar first answered a health check \\(${iso}\\)`),
        ),
        expect.stringContaining("compose started the app without waiting for the sidecar's healthcheck"),
      ],
    });
    expect(report.steps.filter((candidate) => candidate.status === 'failed')).toHaveLength(1);
    // The stop order comes from depends_on itself, with or without a condition.
    expect(step('stop order')).toMatchObject({ status: 'passed' });
    // The wrong order is drawn all the same.
    expect(report.lifecycles.map((life) => life.label)).toEqual([
      'compose: the Pod as `up` started it',
      'compose: the Pod from `up` to `stop`',
    ]);
  }, 240_000);
});
