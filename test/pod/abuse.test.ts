// The app's public port under abuse, the app held to its manifest's CPU and
// memory limits: 1,000 event streams that are never read and a flood of
// GET /api/state for 40 s, while /healthz is probed every second with a 1 s
// timeout as the kubelet's liveness probe does. No probe may fail (three in a
// row would restart the container), memory stays under the limit, and the
// Pod still processes a message afterwards.
import { afterAll, expect, test } from 'vitest';
import { MAX_EVENT_STREAMS } from '../../apps/app/state-feed.js';
import { render } from '../../scripts/lib/manifests.js';
import { describePod } from '../support/describe-pod.js';
import { ContainerLimits } from '../support/limits.js';
import { APP_URL, httpIn, PodBox, waitProcessed } from '../support/pod-box.js';
import { idOf, messageOf } from '../support/answers.js';

let pod: PodBox | undefined;
let limits: ContainerLimits | undefined;
afterAll(async () => {
  await pod?.dispose();
  limits?.remove();
});

/** The app container's limits in manifests/base: "500m" and "256Mi". */
async function appLimits(): Promise<{ millicores: number; memoryBytes: number }> {
  const deployment = (await render('base')).find((object) => object.kind === 'Deployment')!;
  type Container = { name: string; resources: { limits: { cpu: string; memory: string } } };
  const app = (deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers.find(
    (c) => c.name === 'app',
  )!;
  return { millicores: parseInt(app.resources.limits.cpu, 10), memoryBytes: parseInt(app.resources.limits.memory, 10) * 1024 * 1024 };
}

describePod('the app under abuse, within its limits', () => {
  test('1,000 event streams never read and a flood of /api/state for 40 s: no liveness probe fails, memory stays under the limit, a message still goes through', async () => {
    const { millicores, memoryBytes } = await appLimits();
    limits = ContainerLimits.create(`podmates-abuse-${process.pid}`, millicores, memoryBytes);
    pod = await PodBox.create('abuse');
    await pod.start('sidecar').waitForEvent('ready');
    const app = pod.start('app', {}, 'app', limits.procs);
    await app.waitForEvent('ready');

    // The kubelet is a process of its own: so is the liveness probe here.
    const [result, probes] = await Promise.all([pod.probe().abuse(APP_URL, 1000, 16, 40_000), pod.probe().liveness(APP_URL, 40_000)]);
    process.stdout.write(
      `abuse: ${JSON.stringify({ ...result, ...probes })}, peak memory ${(limits.peakMemoryBytes / 2 ** 20).toFixed(0)} MiB of ${memoryBytes / 2 ** 20}\n`,
    );
    expect(probes.failedProbes, 'liveness probes failed under abuse').toEqual([]);
    expect(probes.probes).toBeGreaterThanOrEqual(38);
    expect(result.streams.answers['200']).toBe(MAX_EVENT_STREAMS);
    expect(result.streams.answers['503']).toBe(1000 - MAX_EVENT_STREAMS);
    expect(result.floodRequests).toBeGreaterThan(1000);
    expect(limits.peakMemoryBytes).toBeLessThan(memoryBytes);
    expect(limits.oomKills).toBe(0);

    const after = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'after the abuse' }));
    expect(after.status).toBe(202);
    expect(messageOf(await waitProcessed(pod, idOf(after))).state).toBe('processed');
    expect(app.lines.join('\n')).not.toContain('uncaught_exception');
  }, 120_000);
});
