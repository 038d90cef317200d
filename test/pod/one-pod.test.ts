// One "Pod": the real app and sidecar in shared net/IPC/UTS namespaces.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExitCode } from '../../apps/shared/exit-codes.js';
import { judgeClash } from '../../scripts/demo/claims/clash/judge.js';
import { judgeNamespaces } from '../../scripts/demo/judges/namespaces.js';
import { judgeRoundTrip } from '../../scripts/demo/judges/round-trip.js';
import { describePod } from '../support/describe-pod.js';
import { takenTooOften } from '../../apps/probe/round-trip.js';
import { fieldsOf, idOf, messageOf, verdictOf } from '../support/answers.js';
import { APP_URL, httpIn, PodBox, SIDECAR_URL, startPod, waitProcessed, type Service } from '../support/pod-box.js';
import { REPLY_QUEUE, REQUEST_QUEUE } from '../../apps/probe/contract.js';

describePod('one Pod: app and sidecar share net, IPC and UTS namespaces', () => {
  let pod: PodBox;
  let app: Service;
  let sidecar: Service;

  beforeAll(async () => {
    pod = await PodBox.create('pod-a');
    ({ app, sidecar } = await startPod(pod));
  });
  afterAll(() => pod?.dispose());

  test('the app is ready: its queues are open and the sidecar answers on loopback', async () => {
    expect(await httpIn(pod, 'GET', `${APP_URL}/readyz`)).toMatchObject({ status: 200, body: { ready: true } });
    expect(await sidecar.waitForEvent('listening')).toMatchObject({ host: '127.0.0.1', port: 9090 });
  });

  test('500 messages round-trip through the queues with none lost and none duplicated', async () => {
    const result = await pod.probe().roundtrip(APP_URL, 500);
    expect(judgeRoundTrip(result, 500)).toEqual([]);
  });

  test("GET /messages/:id returns the sidecar's status, fetched over 127.0.0.1", async () => {
    const text = 'two containers one pod';
    const posted = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text }));
    expect(posted.status).toBe(202);
    const status = await waitProcessed(pod, idOf(posted));
    const sha256 = createHash('sha256').update(text).digest('hex');
    expect(status.body).toMatchObject({
      id: idOf(posted),
      state: 'processed',
      replies: 1,
      deliveries: 1,
      result: { words: 4, sha256 },
      sidecar: { words: 4, deliveries: 1, sha256 },
    });
  });

  test('/pod reports the same net, ipc and uts namespace for both processes', async () => {
    const report = await httpIn(pod, 'GET', `${APP_URL}/pod`);
    expect(report.status).toBe(200);
    // Without containers both processes also keep the host's pid and mnt namespaces, so only sharing is asserted here.
    expect(judgeNamespaces(report.body, { shared: ['net', 'ipc', 'uts'], separate: [] })).toEqual([]);
    expect(verdictOf(report)).toMatchObject({ net: 'shared', ipc: 'shared', uts: 'shared' });
  });

  test.each([
    ['a body that is not JSON', 'not json', 'text/plain', 415, 'unsupported_media_type'],
    ['malformed JSON', '{"text":', 'application/json', 400, 'malformed_json'],
    ['a JSON array', '["text"]', 'application/json', 400, 'invalid_body'],
    ['text that is not a string', '{"text":42}', 'application/json', 400, 'invalid_body'],
    ['an unexpected field', '{"text":"a","extra":1}', 'application/json', 400, 'invalid_body'],
    ['text too large for one queue message', JSON.stringify({ text: 'x'.repeat(8200) }), 'application/json', 413, 'too_large'],
    ['a body over the read limit', JSON.stringify({ text: 'x'.repeat(70_000) }), 'application/json', 413, 'too_large'],
  ])('%s is refused with %s and the app keeps serving', async (_name, body, type, status, reason) => {
    const answer = await httpIn(pod, 'POST', `${APP_URL}/messages`, body, type);
    expect(answer).toMatchObject({ status, body: { reason } });
    expect(typeof fieldsOf(answer).error).toBe('string');
    expect((await httpIn(pod, 'GET', `${APP_URL}/healthz`)).status).toBe(200);
  });

  test('garbage in either queue is logged and counted once, never delivered again, and the Pod keeps working', async () => {
    expect(await pod.probe().mqPush(...REQUEST_QUEUE, 1, 'not an envelope')).toEqual({ pushed: 1 });
    expect(await pod.probe().mqPush(...REPLY_QUEUE, 1, '{"v":1,"id":"nope"}')).toEqual({ pushed: 1 });
    expect(await sidecar.waitForEvent('malformed_message')).toMatchObject({ reason: 'not JSON (15 bytes)' });
    expect(await app.waitForEvent('malformed_reply')).toMatchObject({ reason: 'id is not a UUID' });
    expect(judgeRoundTrip(await pod.probe().roundtrip(APP_URL, 20), 20)).toEqual([]);
    const sidecarMetrics = (await httpIn(pod, 'GET', `${SIDECAR_URL}/metrics`)).body as string;
    const appMetrics = (await httpIn(pod, 'GET', `${APP_URL}/metrics`)).body as string;
    expect(sidecarMetrics).toMatch(/^podmates_sidecar_malformed_total 1$/m);
    expect(appMetrics).toMatch(/^podmates_app_malformed_replies_total 1$/m);
  });

  test('an unknown or malformed id gets 404 or 400', async () => {
    expect((await httpIn(pod, 'GET', `${APP_URL}/messages/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await httpIn(pod, 'GET', `${APP_URL}/messages/not-an-id`)).status).toBe(400);
  });

  test('a full request queue answers 503 with Retry-After, accepts nothing, and loses nothing', async () => {
    process.kill(sidecar.pid!, 'SIGSTOP'); // the consumer stops; the queue fills up
    try {
      const accepted: string[] = [];
      let refused;
      for (let i = 0; i < 20 && !refused; i++) {
        const answer = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: `backlog ${i}` }));
        if (answer.status === 202) accepted.push(idOf(answer));
        else refused = answer;
      }
      expect(accepted.length).toBe(10); // QUEUE_MAX_MESSAGES
      expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': '1' }, body: { reason: 'queue_full' } });
      process.kill(sidecar.pid!, 'SIGCONT');
      for (const id of accepted) expect((await waitProcessed(pod, id)).body).toMatchObject({ replies: 1 });
    } finally {
      process.kill(sidecar.pid!, 'SIGCONT');
    }
  });

  test('with the sidecar down the app is not ready and /pod answers 502, statuses come from its journal, and messages sent meanwhile are processed after the restart', async () => {
    const before = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'before' }));
    await waitProcessed(pod, idOf(before));
    await sidecar.stop('SIGKILL');

    const unreachable = await httpIn(pod, 'GET', `${APP_URL}/pod`);
    // The client is told what is wrong, not the internal address: that is in the app's log, under the request id.
    expect(unreachable).toMatchObject({
      status: 502,
      body: { error: 'the sidecar does not answer on the loopback interface', requestId: unreachable.headers['x-request-id'] },
    });
    expect(JSON.stringify(unreachable.body)).not.toMatch(/127\.0\.0\.1|9090|ECONNREFUSED/);
    expect(await httpIn(pod, 'GET', `${APP_URL}/readyz`)).toMatchObject({ status: 503, body: { ready: false } });
    const known = await httpIn(pod, 'GET', `${APP_URL}/messages/${idOf(before)}`);
    expect(known).toMatchObject({
      status: 200,
      body: { state: 'processed', sidecar: null, sidecarError: 'the sidecar does not answer on the loopback interface' },
    });

    const during = [];
    for (let i = 0; i < 3; i++)
      during.push(idOf(await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: `while down ${i}` }))));

    sidecar = pod.start('sidecar', {}, 'sidecar-restarted');
    await sidecar.waitForEvent('ready');
    for (const id of during) expect((await waitProcessed(pod, id)).body).toMatchObject({ replies: 1, sidecar: { deliveries: 1 } });
  });

  test('a second process binding the app port in the same Pod exits with the documented code and log line', async () => {
    const clash = await pod.start('app', {}, 'clashing-app').exit();
    expect(judgeClash({ ...clash, port: 8080 }, ExitCode.portInUse)).toEqual([]);
    expect(clash.output).toContain('another container in the same Pod');
    expect((await httpIn(pod, 'GET', `${APP_URL}/healthz`)).status).toBe(200);
  });

  test('SIGTERM: both services stop accepting, close their queues and exit 0', async () => {
    const [appExit, sidecarExit] = await Promise.all([app.stop('SIGTERM'), sidecar.stop('SIGTERM')]);
    expect(appExit).toMatchObject({ exitCode: 0 });
    expect(sidecarExit).toMatchObject({ exitCode: 0 });
    expect(appExit.output).toContain('"event":"stopped"');
  });
});

describePod('a duplicating fault', () => {
  test("a copy pushed by someone else is taken twice by the sidecar, and the round trip's duplicate check says so", async () => {
    const box = await PodBox.create('duplicate');
    try {
      await startPod(box);
      const sent = await httpIn(box, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'once only' }));
      await waitProcessed(box, idOf(sent));
      expect(takenTooOften(messageOf(await httpIn(box, 'GET', `${APP_URL}/messages/${idOf(sent)}`)))).toBe(false);
      // The same id pushed again from outside the app: the fault the check is for.
      await box.probe().mqRequest(...REQUEST_QUEUE, idOf(sent), 'once only');
      for (let i = 0; i < 50; i++) {
        const seen = messageOf(await httpIn(box, 'GET', `${APP_URL}/messages/${idOf(sent)}`));
        if (takenTooOften(seen)) return;
      }
      throw new Error('the sidecar took the second copy, but the duplicate check never saw it');
    } finally {
      await box.dispose();
    }
  });
});
