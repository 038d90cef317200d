// Two "Pods", and a broken one: what a Pod shares stays inside it, and each
// check fails, saying what broke, when the sharing it guards is taken away.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { judgeIsolation } from '../../scripts/demo/claims/isolation/judge.js';
import { judgeNamespaces, POD_NAMESPACES } from '../../scripts/demo/judges/namespaces.js';
import { judgeRoundTrip } from '../../scripts/demo/judges/round-trip.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox, SIDECAR_URL, startPod } from '../support/pod-box.js';
import { REQUEST_QUEUE } from '../../apps/probe/contract.js';

async function lookInto(from: PodBox) {
  return {
    queue: await from.probe().mqOpen(...REQUEST_QUEUE),
    sidecarPort: await from.probe().connect('127.0.0.1', 9090),
    sidecarAddress: SIDECAR_URL,
  };
}

describePod('two Pods: queues and loopback ports stay inside their Pod', () => {
  let podA: PodBox;
  let podB: PodBox;

  beforeAll(async () => {
    [podA, podB] = await Promise.all([PodBox.create('pod-a'), PodBox.create('pod-b')]);
    await startPod(podA);
  });
  afterAll(() => Promise.all([podA?.dispose(), podB?.dispose()]));

  test('inside the Pod, its queue exists and its sidecar answers on 127.0.0.1', async () => {
    expect(await podA.probe().mqOpen(...REQUEST_QUEUE)).toMatchObject({ ok: true });
    expect(await podA.probe().connect('127.0.0.1', 9090)).toEqual({ ok: true });
  });

  test("from another Pod, the queue does not exist (ENOENT) and the sidecar's port is refused", async () => {
    expect(judgeIsolation(await lookInto(podB))).toEqual([]);
  });

  test('the isolation check fails, saying what is shared, if the "other Pod" shares the namespaces', async () => {
    const problems = judgeIsolation(await lookInto(PodBox.alias('pod-a-again', podA)));
    expect(problems).toEqual([
      expect.stringContaining('can be opened from outside the Pod'),
      expect.stringContaining('accepted a connection from outside the Pod'),
    ]);
  });

  test("a sidecar in another Pod never sees this Pod's messages", async () => {
    const outsider = podB.start('sidecar', {}, 'outsider-sidecar');
    await outsider.waitForEvent('ready');
    expect(judgeRoundTrip(await podA.probe().roundtrip(APP_URL, 50), 50)).toEqual([]);
    const metrics = await httpIn(podB, 'GET', `${SIDECAR_URL}/metrics`);
    expect(metrics.body).toMatch(/^podmates_sidecar_processed_total 0$/m);
  });
});

describePod('a broken Pod: the sidecar shares the network namespace but not the IPC one', () => {
  let pod: PodBox;
  let ownIpc: PodBox;

  beforeAll(async () => {
    pod = await PodBox.create('broken-pod');
    ownIpc = await PodBox.create('broken-pod-ipc', { allButIpcOf: pod });
    const sidecar = ownIpc.start('sidecar');
    await sidecar.waitForEvent('ready');
    await pod.start('app').waitForEvent('ready');
  });
  afterAll(() => Promise.all([ownIpc?.dispose(), pod?.dispose()]));

  test('loopback still works: the app reaches the sidecar over 127.0.0.1', async () => {
    expect((await httpIn(pod, 'GET', `${APP_URL}/readyz`)).status).toBe(200);
  });

  test('the namespace check fails and says the ipc namespace is not shared', async () => {
    const report = await httpIn(pod, 'GET', `${APP_URL}/pod`);
    // pid and mnt are the host's for both processes here, so only the shared kinds are judged.
    const problems = judgeNamespaces(report.body, { shared: POD_NAMESPACES.shared, separate: [] });
    expect(problems).toEqual([expect.stringMatching(/^ipc namespace is not shared: app is in ipc:\[\d+\], sidecar in ipc:\[\d+\]$/)]);
  });

  test('the round-trip check fails and says the messages never came back', async () => {
    const problems = judgeRoundTrip(await pod.probe().roundtrip(APP_URL, 5, 2000), 5);
    expect(problems).toEqual([expect.stringContaining('5 of 5 accepted messages never came back through the reply queue')]);
  });
});
