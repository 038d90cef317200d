// What a client can rely on: a POST retried with the same Idempotency-Key
// (after a lost 202) never makes a second message, also across an app
// restart; an id the app has forgotten answers 410 Gone with the retention,
// unlike one it never issued (404).
import { afterEach, expect, test } from 'vitest';
import { describePod } from '../support/describe-pod.js';
import { fieldsOf, idOf } from '../support/answers.js';
import { APP_URL, PodBox, startPod, waitProcessed } from '../support/pod-box.js';

let pod: PodBox | undefined;
afterEach(() => pod?.dispose());

function post(box: PodBox, text: string, key?: string) {
  const headers = key === undefined ? [] : [`Idempotency-Key: ${key}`];
  return box.probe().http('POST', `${APP_URL}/messages`, JSON.stringify({ text }), 'application/json', ...headers);
}

describePod('clients that retry', () => {
  test('the same Idempotency-Key gives the first message back, across a SIGKILL of the app; another text under it is refused', async () => {
    pod = await PodBox.create('idempotency');
    const { app } = await startPod(pod);
    const first = await post(pod, 'pay once', 'order-17');
    expect(first.status).toBe(202);
    await waitProcessed(pod, idOf(first));
    expect(await post(pod, 'pay once', 'order-17')).toMatchObject({
      status: 200,
      body: { id: idOf(first), state: 'processed', repeated: true },
    });
    expect(await post(pod, 'pay twice', 'order-17')).toMatchObject({ status: 422, body: { reason: 'idempotency_key_reused' } });
    expect(await post(pod, 'x', 'bad key with spaces')).toMatchObject({ status: 400, body: { reason: 'invalid_idempotency_key' } });

    await app.stop('SIGKILL');
    await pod.start('app', {}, 'app-restarted').waitForEvent('ready');
    expect(await post(pod, 'pay once', 'order-17')).toMatchObject({ status: 200, body: { id: idOf(first), repeated: true } });
  });

  test('an id forgotten past TRACK_CAPACITY answers 410 with the retention; an id never issued here answers 404', async () => {
    pod = await PodBox.create('retention');
    await startPod(pod, { TRACK_CAPACITY: '2' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await post(pod, `message ${i}`);
      ids.push(idOf(answer));
      await waitProcessed(pod, idOf(answer));
    }
    const get = (id: string) => pod!.probe().http('GET', `${APP_URL}/messages/${id}`);
    const gone = await get(ids[0]!);
    expect(gone).toMatchObject({ status: 410, body: { retention: 2 } });
    expect(fieldsOf(gone).error).toMatch(/accepted by this Pod and has been forgotten/);
    expect((await get(ids[2]!)).status).toBe(200);
    // Same time, another issuer's tag: never issued here.
    expect((await get(`${ids[0]!.slice(0, -8)}00000000`)).status).toBe(404);
    expect((await get('4b0c5a0e-9d1c-4f2a-8b3c-0a0b0c0d0a0b')).status).toBe(404);
  });
});
