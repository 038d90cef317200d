// Breaking one thing at a time on a real kind cluster: the matching demo step
// fails with a message that says what went wrong.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';
import { kindKube } from '../../scripts/lib/kind.js';
import { KUSTOMIZATIONS, renderText } from '../../scripts/lib/manifests.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import type { StepResult } from '../../scripts/lib/report.js';
import { LEASE, leaseFor } from '../../scripts/lib/run-lease.js';
import { describeIf } from '../support/describe-pod.js';
import { deleteCluster, demoOn, kindBlocker } from '../support/kind-demo.js';

const CLUSTER = 'podmates-test';
const demo = (...args: string[]) => demoOn(CLUSTER, args);

const step = (steps: StepResult[], prefix: string) => steps.find((candidate) => candidate.name.startsWith(prefix));
const broken = (name: string) => join(PROJECT_ROOT, 'test/kind/broken', name);

describeIf('the demo on kind, broken one thing at a time', kindBlocker, () => {
  afterAll(() => deleteCluster(CLUSTER));

  test('shareProcessNamespace: true: step 5a says the pid namespace is shared', async () => {
    const { exitCode, steps } = await demo('--only', 'a', '--base', broken('shared-pid-namespace'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5a')).toMatchObject({
      status: 'failed',
      problems: [expect.stringMatching(/^pid namespace is shared \(pid:\[\d+\]\) but each container should have its own$/)],
    });
  }, 300_000);

  test('the plain Pod where step 5p expects shareProcessNamespace: it says pid is not shared and who is PID 1', async () => {
    const { exitCode, steps } = await demo('--only', 'p', '--overlay', `shared-pid=${join(PROJECT_ROOT, 'manifests/base')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5p')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(/^pid namespace is not shared: app is in pid:\[\d+\], sidecar in pid:\[\d+\]$/),
        expect.stringMatching(/^PID 1 in the app's container is "node .*dist\/apps\/app\/main\.js", not the sandbox's pause$/),
        "the app's container does not see the sidecar's process",
        "the sidecar's container does not see the app's process",
      ],
    });
  }, 300_000);

  test('the plain Pod where step 5s expects an init container: it says none ran', async () => {
    const { exitCode, steps } = await demo('--only', 's', '--overlay', `init-queue=${join(PROJECT_ROOT, 'manifests/base')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5s')).toMatchObject({ status: 'failed', problems: ['no init container make-queue ran to completion in this Pod'] });
  }, 300_000);

  test('every kustomization passes the API server itself: strict field validation in a server-side dry run', async () => {
    // The cluster and the podmates namespace are there: the demo above kept them.
    for (const kustomization of [
      ...KUSTOMIZATIONS,
      ...readdirSync(join(PROJECT_ROOT, 'test/kind/broken')).map((name) => `../test/kind/broken/${name}`),
    ]) {
      const rendered = await renderText(join(PROJECT_ROOT, 'manifests', kustomization));
      const result = await kindKube(CLUSTER).kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], {
        input: rendered,
        allowFailure: true,
      });
      expect(result.exitCode, `${kustomization}: ${result.stderr}`).toBe(0);
    }
  }, 120_000);

  test('the server-side check can fail: a misspelt field is refused by name', async () => {
    const rendered = (await renderText(join(PROJECT_ROOT, 'manifests/base'))).replace('readinessProbe:', 'readinesProbe:');
    const result = await kindKube(CLUSTER).kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], {
      input: rendered,
      allowFailure: true,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/unknown field "spec\.template\.spec\.containers\[0\]\.readinesProbe"/);
  }, 60_000);

  test('the sidecar on 0.0.0.0 instead of 127.0.0.1: steps 5b and 5d say it is reachable from outside', async () => {
    const { exitCode, steps } = await demo('--only', 'bd', '--base', broken('sidecar-on-all-interfaces'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5b')).toMatchObject({
      status: 'failed',
      problems: [expect.stringMatching(/the sidecar answers on the Pod IP [\d.]+:9090: it should listen on 127.0.0.1 only/)],
    });
    expect(step(steps, '5d')).toMatchObject({
      status: 'failed',
      problems: [expect.stringContaining('accepted a connection from outside the Pod')],
    });
  }, 300_000);

  test('the shared emptyDir mounted in the app only: step 5n says /shared is not one volume in both containers', async () => {
    const { exitCode, steps } = await demo('--only', 'n', '--base', broken('sidecar-without-shared-volume'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5n')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(
          /^the app said in \/shared that its sockets were bound, and the sidecar never saw it: \/shared is not one volume both containers mount \(.*waited 30000 ms for \/shared\/podmates-/,
        ),
      ],
    });
  }, 300_000);

  test('different queue names in the two containers: step 5c says the messages never came back', async () => {
    const { exitCode, steps } = await demo('--only', 'c', '--base', broken('queue-names-differ'));
    expect(exitCode).toBe(1);
    // The request queue fills up (10 messages) and stays full: the rest are refused with 503 until the step gives up.
    expect(step(steps, '5c')).toMatchObject({
      status: 'failed',
      problems: [
        'only 10 of 20 messages were accepted',
        expect.stringMatching(
          /^10 of 10 accepted messages never came back through the reply queue .*is the sidecar reading the same queue/,
        ),
      ],
    });
  }, 300_000);

  test('a second consumer of the request queue: step 5e says messages were processed while the sidecar was down', async () => {
    const { exitCode, steps } = await demo('--only', 'e', '--base', broken('second-consumer'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5e')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(/^\d+ messages were processed before the sidecar restarted: impossible unless another consumer exists$/),
      ],
    });
  }, 300_000);

  test('redelivery switched off: step 5h says the message its sidecar died holding was never processed', async () => {
    const { exitCode, steps } = await demo('--only', 'h', '--base', broken('redelivery-off'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5h')?.status).toBe('failed');
    expect(step(steps, '5h')?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^1 accepted messages were never processed \(first: [0-9a-f-]{36}\): a request taken by a sidecar that died/),
        'no copy taken by a dying sidecar was pushed again: the kill on a message in flight (the failpoint) went unnoticed',
      ]),
    );
  }, 400_000);

  test('the drain switched off: step 5i says the old Pod stopped with accepted messages unanswered', async () => {
    const { exitCode, steps } = await demo('--only', 'i', '--base', broken('drain-off'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5i')?.status).toBe('failed');
    expect(step(steps, '5i')?.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^the old Pod's app stopped with \d+ accepted messages unanswered: \["/)]),
    );
  }, 400_000);

  test('a native sidecar without probes: step 5f says the app started before the sidecar was found serving', async () => {
    const { exitCode, steps } = await demo('--only', 'f', '--overlay', `native-sidecar=${broken('native-sidecar-without-probes')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5f')).toMatchObject({
      status: 'failed',
      problems: [
        expect.stringMatching(
          /^the app's process started at \S+, before the sidecar first answered a health check \(\S+\): the kubelet did not wait for a startup probe of the sidecar$/,
        ),
      ],
    });
  }, 300_000);

  test('the plain Pod where step 5f expects a native sidecar: the sidecar got SIGTERM with the app, during its drain', async () => {
    const { exitCode, steps } = await demo('--only', 'f', '--overlay', `native-sidecar=${join(PROJECT_ROOT, 'manifests/base')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5f')?.problems).toEqual(
      expect.arrayContaining([
        'the sidecar is not a started init container',
        expect.stringMatching(
          /^the sidecar got SIGTERM at \S+, before the app had stopped \(\S+\): the kubelet stopped them together, as it does regular containers, not the app first$/,
        ),
      ]),
    );
  }, 300_000);

  test('a clash overlay that does not clash: step 5g says nothing clashed', async () => {
    const { exitCode, steps } = await demo('--only', 'g', '--overlay', `clash=${broken('clash-without-clash')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5g')).toMatchObject({ status: 'failed', problems: [expect.stringContaining('did not ask for the same port')] });
  }, 300_000);

  test('a Pod never Ready with no clash at all: step 5g says nothing failed and which container is not Ready on its own', async () => {
    const { exitCode, steps } = await demo('--only', 'g', '--overlay', `clash=${broken('unready-without-clash')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5g')).toMatchObject({
      status: 'failed',
      problems: ['no container failed in 45 s, so nothing clashed; the Pod is not Ready because app is not Ready on its own'],
    });
  }, 300_000);

  test("a Job whose sidecars are regular containers under the native Job's name: step 5v says it never completed, and what runs on", async () => {
    const { exitCode, steps } = await demo('--only', 'v', '--overlay', `jobs/native-sidecar=${broken('job-sidecars-not-native')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5v')).toMatchObject({
      status: 'failed',
      problems: [
        'podmates-job-native did not complete: its sidecars were not stopped after work exited',
        'podmates-job-native: app, sidecar still running after the Job ended',
      ],
    });
  }, 300_000);

  test("Pods charged more than the ConfigMap says: step 5j finds the budget ends before the one computed, in the container's words", async () => {
    const { exitCode, steps } = await demo('--only', 'j', '--base', broken('queues-over-budget'));
    expect(exitCode).toBe(1);
    expect(step(steps, '5j')?.status).toBe('failed');
    const problems = step(steps, '5j')!.problems.join('\n');
    expect(problems).toMatch(/^6 of 9 replicas failed to start where the budget computed .* lets 1 fail: the kernel held fewer/);
    expect(problems).toMatch(
      /exited 69: cannot open message queue \/podmates\.(requests|replies): Too many open files \(RLIMIT_MSGQUEUE of UID 10001 is used up/,
    );
    expect(problems).toContain('so 4 such Pods fit');
  }, 300_000);

  test('a NetworkPolicy without ports: step 5w says the port it should have dropped still answered', async () => {
    const { exitCode, steps } = await demo('--only', 'w', '--overlay', `network-policy=${broken('policy-without-ports')}`);
    expect(exitCode).toBe(1);
    expect(step(steps, '5w')).toMatchObject({
      status: 'failed',
      problems: ['with the policy 9091 still answered the probe Pod: nothing enforces NetworkPolicy here, or the policy names no ports'],
    });
  }, 300_000);

  test('images the cluster cannot get: the rollout fails at once, naming the image, instead of waiting out its timeout', async () => {
    const kube = kindKube(CLUSTER);
    kube.deployImages({
      'podmates/app:0.1.0': 'podmates/app:0.0.0-never-built',
      'podmates/sidecar:0.1.0': 'podmates/sidecar:0.0.0-never-built',
    });
    await kube.apply(join(PROJECT_ROOT, 'manifests/base'), 'podmates-no-image');
    try {
      await expect(kube.rollout('podmates-no-image', 170)).rejects.toThrow(
        /^deployment\/podmates-no-image cannot start: podmates-no-image-\S+ cannot get image (docker\.io\/)?podmates\/(app|sidecar):0\.0\.0-never-built: (ErrImagePull|ImagePullBackOff).* give --registry HOST:PORT/,
      );
    } finally {
      await kube.deleteApp('podmates-no-image', false);
    }
  }, 120_000);

  test('a namespace podmates neither the demo nor the bench made: step 4 refuses it by name, and the run leaves it as it was', async () => {
    const kube = kindKube(CLUSTER);
    await kube.kubectl(['annotate', 'namespace', 'podmates', 'podmates.dev/created-by-']);
    try {
      const { exitCode, steps } = await demoOn(CLUSTER, ['--only', 'a'], false);
      expect(exitCode).toBe(1);
      expect(step(steps, '4.')).toMatchObject({
        status: 'failed',
        problems: [
          expect.stringMatching(/^namespace podmates exists in kind-podmates-test and was not made by this project's demo or bench/),
        ],
      });
      const left = await kube.kubectl(['get', 'namespace', 'podmates', '-o', 'jsonpath={.status.phase}']);
      expect(left.stdout).toBe('Active');
    } finally {
      await kube.kubectl(['annotate', 'namespace', 'podmates', 'podmates.dev/created-by=npm-run-demo']);
    }
  }, 300_000);

  test("another run's Lease on the namespace: step 4 stops, naming it, and leaves the namespace; one whose process is gone is taken over", async () => {
    const kube = kindKube(CLUSTER);
    const leave = () => kube.inNamespace(['delete', 'lease', LEASE, '--ignore-not-found']);
    const holdAs = (pid: number) =>
      kube.kubectl(['create', '-f', '-'], {
        input: JSON.stringify(leaseFor({ command: 'npm run demo', host: hostname(), pid, since: '2026-12-07T19:00:00.000000Z' })),
      });
    try {
      // This test's own process stands for a run still going.
      await holdAs(process.pid);
      const held = await demoOn(CLUSTER, ['--only', 'a'], false);
      expect(held.exitCode).toBe(1);
      expect(step(held.steps, '4.')).toMatchObject({
        status: 'failed',
        problems: [
          `another run is using namespace podmates on kind-${CLUSTER}: npm run demo on ${hostname()}, pid ${process.pid}, since 2026-12-07T19:00:00.000000Z (Lease podmates-run). Wait for it to end; if it is gone (on another machine), delete its lease: kubectl -n podmates delete lease podmates-run`,
        ],
      });
      expect((await kube.kubectl(['get', 'namespace', 'podmates', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Active');
      // A run SIGKILLed on this machine: its process is gone.
      await leave();
      await holdAs(spawnSync('true').pid);
      const after = await demo('--only', 'a');
      expect(after.steps.map(({ name, status, problems }) => [name.slice(0, 2), status, problems])).toEqual(
        after.steps.map(({ name }) => [name.slice(0, 2), 'passed', []]),
      );
      // Let go at the end, though the namespace is kept (--keep).
      expect((await kube.inNamespace(['get', 'lease', LEASE, '--ignore-not-found', '-o', 'name'])).stdout).toBe('');
    } finally {
      await leave();
    }
  }, 400_000);

  test('the kept cluster stopped, as a reboot leaves it: step 2 starts its node and waits for its API server', async () => {
    // Without the wait, the first apply met a control plane still starting: "failed to download openapi".
    await execa('docker', ['stop', `${CLUSTER}-control-plane`]);
    const { exitCode, steps } = await demo('--only', 'a');
    const cluster = step(steps, '2.');
    expect(cluster).toMatchObject({ status: 'passed', problems: [] });
    expect(cluster?.detail).toMatch(new RegExp(`\\(reused: started ${CLUSTER}-control-plane, API server ready after \\d+\\.\\d s\\)$`));
    expect(exitCode).toBe(0);
  }, 400_000);

  test("the kept cluster's node started at another address than it was made at: step 2 gives it its own back", async () => {
    // What a reboot does when the nodes start in another order; the control plane was set up with the old one.
    const node = `${CLUSTER}-control-plane`;
    const address = async () => (await execa('docker', ['inspect', '-f', '{{.NetworkSettings.Networks.kind.IPAddress}}', node])).stdout;
    const made = await address();
    const elsewhere = made.replace(/\.\d+$/, '.250');
    await execa('docker', ['stop', node]);
    await execa('docker', ['network', 'disconnect', 'kind', node]);
    await execa('docker', ['network', 'connect', '--ip', elsewhere, 'kind', node]);
    await execa('docker', ['start', node]);
    const { exitCode, steps } = await demo('--only', 'a');
    const cluster = step(steps, '2.');
    expect(cluster).toMatchObject({ status: 'passed', problems: [] });
    expect(cluster?.detail).toMatch(
      new RegExp(`\\(reused: gave ${node} back the addresses they were made at, API server ready after \\d+\\.\\d s\\)$`),
    );
    expect(await address()).toBe(made);
    expect(exitCode).toBe(0);
  }, 400_000);
});
