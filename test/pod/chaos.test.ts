// Chaos: the containers of a Pod die hard (SIGKILL: the OOM killer, a liveness
// failure past the grace period, a runtime crash) while clients keep sending.
// Every message answered 202 must still be processed, with the right result.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { judgeDelivery } from '../../scripts/demo/judges/delivery.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, PodBox } from '../support/pod-box.js';
import { Supervised } from '../support/supervisor.js';

interface Chaos {
  messages: number;
  clients: number;
  /** REDELIVERY_CHECK_MS; '0' turns redelivery off. */
  redeliveryMs: string;
  /** Kill the app on every n-th sidecar kill. */
  appEvery: number;
  timeoutMs: number;
  /** The first sidecar SIGKILLs itself right after taking a request: a loss for certain without redelivery. */
  killFirstSidecarAfterTake?: boolean;
}

let pod: PodBox | undefined;
afterEach(() => pod?.dispose());

async function runChaos(chaos: Chaos) {
  pod = await PodBox.create('chaos');
  const env = { REDELIVERY_CHECK_MS: chaos.redeliveryMs };
  const sidecar = new Supervised(pod, 'sidecar', (run) =>
    run === 0 && chaos.killFirstSidecarAfterTake ? { ...env, PODMATES_FAILPOINT: 'sidecar-after-take' } : env,
  );
  const app = new Supervised(pod, 'app', () => env);
  // The failpoint sidecar gets ready like any other: it dies on its first request, which only the app sends.
  await sidecar.start();
  await app.start();

  let finished = false;
  const load = pod
    .probe()
    .load(APP_URL, chaos.messages, chaos.clients, chaos.timeoutMs)
    .finally(() => (finished = true));
  let sidecarKills = 0;
  let appKills = 0;
  while (!finished) {
    await sleep(1000);
    if (finished) break;
    sidecar.kill();
    sidecarKills += 1;
    if (sidecarKills % chaos.appEvery === 0) {
      app.kill();
      appKills += 1;
    }
  }
  const result = await load;
  const seen = {
    sidecarKills,
    appKills,
    sidecarRuns: sidecar.runs.length,
    appRuns: app.runs.length,
    redelivered: app.count('redelivered'),
    sidecarWaitsForReplyRoom: sidecar.count('reply_queue_full'),
  };
  process.stdout.write(`chaos: ${JSON.stringify({ ...seen, ...result, lost: result.lost.length })}\n`);
  await Promise.all([app.stop('SIGKILL'), sidecar.stop('SIGKILL')]);
  return { result, seen };
}

describePod('chaos: SIGKILL under load', () => {
  test('5,000 messages from 8 clients, the sidecar SIGKILLed every second and the app every other time: none lost, none unknown, every result right', async () => {
    const { result, seen } = await runChaos({ messages: 5000, clients: 8, redeliveryMs: '1000', appEvery: 2, timeoutMs: 240_000 });
    expect(judgeDelivery(result, 5000)).toEqual([]);
    expect(seen.sidecarKills).toBeGreaterThanOrEqual(5);
    expect(seen.appKills).toBeGreaterThanOrEqual(3);
    expect(result.retriedConnection).toBeGreaterThan(0); // the app really was down while clients sent
  }, 300_000);

  test('the same chaos with redelivery switched off loses messages, and the check says so', async () => {
    const { result } = await runChaos({
      messages: 500,
      clients: 8,
      redeliveryMs: '0',
      appEvery: 1000,
      timeoutMs: 15_000,
      killFirstSidecarAfterTake: true,
    });
    expect(judgeDelivery(result, 500)).toEqual([
      expect.stringMatching(/^\d+ accepted messages were never processed \(first: [0-9a-f-]{36}\): a request taken by a sidecar that died/),
    ]);
  }, 120_000);
});
