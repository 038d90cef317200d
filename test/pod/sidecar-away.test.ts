// A sidecar that stays away (CrashLoopBackOff reaches 5 minutes between
// tries; a bad ConfigMap keeps it down until someone fixes it) while clients
// keep posting. The app must not push copies of what waits in the queue: the
// request queue never holds more copies than there are unanswered messages,
// new messages still find room, and nothing fails for lack of time. When a
// sidecar comes back, every accepted message is processed, the one the dying
// sidecar had taken included.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox, type Service, waitProcessed } from '../support/pod-box.js';
import { idOf, stateOf } from '../support/answers.js';

let pod: PodBox | undefined;
afterEach(() => pod?.dispose());

interface Sample {
  depth: number | null;
  inFlight: number;
}

async function sidecarAway(awayMs: number, env: Record<string, string>) {
  pod = await PodBox.create('sidecar-away');
  // The first sidecar dies the moment it takes the first message: a copy lost for certain.
  const dying = pod.start('sidecar', { ...env, PODMATES_FAILPOINT: 'sidecar-after-take' }, 'sidecar-dying');
  await dying.waitForEvent('ready');
  const app: Service = pod.start('app', env);
  await app.waitForEvent('ready');

  const post = (text: string) => httpIn(pod!, 'POST', `${APP_URL}/messages`, JSON.stringify({ text }));
  const first = await post('taken by a sidecar that dies');
  expect(first.status).toBe(202);
  expect(await dying.exit()).toMatchObject({ signal: 'SIGKILL' });

  const ids = [idOf(first)];
  const samples: Sample[] = [];
  const started = Date.now();
  let posted = 0;
  while (Date.now() - started < awayMs) {
    // Half the queue's room over the outage, the rest after it: copies would fill it.
    if (posted < 5) {
      const answer = await post(`sent while the sidecar is away ${posted++}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(202);
      ids.push(idOf(answer));
    }
    const state = stateOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`));
    samples.push({ depth: state.queues.requests.depth, inFlight: state.counters.inFlight });
    await sleep(1000);
  }
  // Room for the rest of the queue: none of it was taken by copies.
  for (let i = 0; i < 4; i++) {
    const answer = await post(`sent after a long outage ${i}`);
    expect(answer.status, `a new message found the queue full of copies: ${JSON.stringify(answer.body)}`).toBe(202);
    ids.push(idOf(answer));
  }
  const quiet = await httpIn(pod, 'GET', `${APP_URL}/messages/${ids[1]!}`);
  expect(quiet.body).toMatchObject({ state: 'queued', deliveries: 1, failed: null });

  const sidecar = pod.start('sidecar', env, 'sidecar-back');
  await sidecar.waitForEvent('ready');
  for (const id of ids) expect((await waitProcessed(pod, id, 30_000)).body).toMatchObject({ state: 'processed', failed: null });
  const firstDone = (await httpIn(pod, 'GET', `${APP_URL}/messages/${ids[0]!}`)).body;
  expect(firstDone).toMatchObject({ deliveries: 2, lostTakes: 1 });
  const tooMany = samples.filter((s) => s.depth !== null && s.depth > s.inFlight);
  expect(tooMany, `the request queue held more copies than unanswered messages: ${JSON.stringify(tooMany)}`).toEqual([]);
  process.stdout.write(
    `sidecar away ${awayMs} ms: ${ids.length} accepted, ${samples.length} samples, deepest queue ${Math.max(...samples.map((s) => s.depth ?? 0))}\n`,
  );
}

describePod('a sidecar away for a long time', () => {
  test('away 10 s, with the app checking every 200 ms: no copies pile up, no new message is refused, all processed', async () => {
    await sidecarAway(10_000, { REDELIVERY_CHECK_MS: '200' });
  });

  test('away 40 s with the defaults (longer than the old schedule needed to fill the queue with copies)', async () => {
    await sidecarAway(40_000, {});
  }, 120_000);
});
