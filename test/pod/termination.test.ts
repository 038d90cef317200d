// How containers stop: both at once on SIGTERM while messages flow (a rollout,
// a drain, an eviction), and SIGKILL at the two worst moments.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { Journal } from '../../apps/app/journal.js';
import { Ledger } from '../../apps/app/ledger.js';
import type { Expected } from '../../apps/probe/load.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox, startPod, waitProcessed } from '../support/pod-box.js';
import { idOf, messageOf } from '../support/answers.js';
import { REPLY_QUEUE } from '../../apps/probe/contract.js';

let pod: PodBox | undefined;
afterEach(() => pod?.dispose());

/** What the app's journal says, read the way a restarted app reads it. */
function journalOf(box: PodBox): Ledger {
  const { journal, replayed } = Journal.read(box.stateDir);
  const ledger = new Ledger(journal, 1_000_000);
  ledger.replay(replayed.records);
  return ledger;
}

describePod('stopping a Pod', () => {
  test('SIGTERM to both containers under load: new messages are refused, every accepted one is answered, both exit 0', async () => {
    pod = await PodBox.create('sigterm');
    const { app, sidecar } = await startPod(pod);
    const load = pod.probe().load(APP_URL, 1_000_000, 8, 60_000, 'until-shutdown');
    await sleep(1500);
    // The kubelet signals both containers at once, after their preStop hooks.
    const [appExit, sidecarExit] = await Promise.all([app.stop('SIGTERM'), sidecar.stop('SIGTERM')]);
    const result = (await load) as { accepted: number; acceptedMessages: Expected[] };

    expect(appExit, appExit.output.split('\n').slice(-5).join('\n')).toMatchObject({ exitCode: 0 });
    expect(sidecarExit, sidecarExit.output.split('\n').slice(-5).join('\n')).toMatchObject({ exitCode: 0 });
    expect(appExit.output).not.toContain('unanswered_at_shutdown');
    expect(sidecarExit.output).toContain('"event":"outliving_app"');
    expect(result.accepted).toBeGreaterThan(100);
    const ledger = journalOf(pod);
    expect(ledger.unansweredIds).toEqual([]);
    const wrong = result.acceptedMessages.filter((want) => {
      const got = ledger.get(want.id)?.result;
      return got?.sha256 !== want.sha256 || got?.words !== want.words;
    });
    expect(wrong, `${wrong.length} of ${result.accepted} accepted messages have no or a wrong result in the journal`).toEqual([]);
    process.stdout.write(`sigterm: ${result.accepted} accepted and answered before both exited 0\n`);
  });

  test('the same check fails when the sidecar cannot answer: the app stops at its deadline and names what it leaves unanswered', async () => {
    pod = await PodBox.create('sigterm-frozen-sidecar');
    const { app, sidecar } = await startPod(pod, { SHUTDOWN_TIMEOUT_MS: '2000' });
    process.kill(sidecar.pid!, 'SIGSTOP');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(idOf(await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: `stuck ${i}` }))));
    const stopping = app.stop('SIGTERM');
    await app.waitForEvent('stopping');
    // While it drains: refused, and the connection closed, so that a retry goes elsewhere.
    const refused = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'too late' }));
    expect(refused).toMatchObject({ status: 503, body: { reason: 'shutting_down' } });
    expect(refused.headers.connection).toBe('close');
    const appExit = await stopping;
    process.kill(sidecar.pid!, 'SIGCONT');
    expect(appExit.output).toMatch(/"event":"unanswered_at_shutdown","count":3,"ids":\[/);
    expect(journalOf(pod).unansweredIds).toEqual(ids);
  });

  test('the sidecar restarted alone (the app keeps serving) stops at once; the queue keeps what it did not take', async () => {
    pod = await PodBox.create('sidecar-alone');
    const { sidecar } = await startPod(pod);
    const exit = await sidecar.stop('SIGTERM');
    expect(exit).toMatchObject({ exitCode: 0 });
    expect(exit.output).not.toContain('outliving_app');
  });
});

describePod('SIGKILL at the worst moments', () => {
  test('the sidecar killed while it holds a reply the full reply queue cannot take: the request is delivered again and processed', async () => {
    pod = await PodBox.create('reply-wait');
    const { app, sidecar } = await startPod(pod);
    const earlier = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'earlier' }));
    const done = messageOf(await waitProcessed(pod, idOf(earlier)));
    const duplicateReply = JSON.stringify({
      v: 1,
      id: done.id,
      processedAt: done.processedAt,
      sha256: done.result!.sha256,
      words: done.result!.words,
    });

    process.kill(sidecar.pid!, 'SIGSTOP');
    const held = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'the reply of this one is held' }));
    expect(held.status).toBe(202);
    process.kill(app.pid!, 'SIGSTOP'); // nobody reads replies now
    expect(await pod.probe().mqPush(...REPLY_QUEUE, 10, duplicateReply)).toEqual({ pushed: 10 });
    process.kill(sidecar.pid!, 'SIGCONT');
    expect(await sidecar.waitForEvent('reply_queue_full')).toMatchObject({ id: idOf(held) });
    await sidecar.stop('SIGKILL');
    process.kill(app.pid!, 'SIGCONT');

    pod.start('sidecar', {}, 'sidecar-restarted');
    const status = await waitProcessed(pod, idOf(held), 20_000);
    expect(status.body).toMatchObject({ state: 'processed', deliveries: 2, result: { words: 7 } });
    expect(await app.waitForEvent('redelivered')).toMatchObject({ id: idOf(held), delivery: 2 });
  });

  test('the app killed after its journal write, before its 202: the message is processed all the same', async () => {
    pod = await PodBox.create('journal-then-kill');
    await pod.start('sidecar').waitForEvent('ready');
    // This app SIGKILLs itself right after the journal write.
    const dying = pod.start('app', { PODMATES_FAILPOINT: 'app-after-journal' }, 'app-dying');
    await dying.waitForEvent('ready');
    await expect(httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'no answer came' }))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect(await dying.exit()).toMatchObject({ signal: 'SIGKILL' });

    // The client saw no 202, yet the journal holds the message: the next app finishes it.
    const [id] = journalOf(pod).unansweredIds;
    expect(id).toBeDefined();
    await pod.start('app', {}, 'app-restarted').waitForEvent('ready');
    expect((await waitProcessed(pod, id!)).body).toMatchObject({ state: 'processed', result: { words: 3 } });
  });
});
