// The Pod's volume fills up under load (a disk-backed emptyDir on a full node
// disk, or a medium: Memory one at its size). The journal cannot be written:
// the app must turn not Ready and refuse new messages with 503 — never crash,
// never answer 503 for a message that then gets processed anyway — and come
// back once there is room. After a SIGKILL and a restart with room, every
// message it answered 202 is processed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { Journal } from '../../apps/app/journal.js';
import { Ledger } from '../../apps/app/ledger.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox, serviceUid, SIDECAR_URL } from '../support/pod-box.js';
import { fieldsOf, stateOf } from '../support/answers.js';

let pod: PodBox | undefined;
let volume: string | undefined;
afterEach(async () => {
  await pod?.dispose();
  if (volume) {
    await execa('umount', [volume], { reject: false });
    rmSync(volume, { recursive: true, force: true });
  }
});

/** A tmpfs of `size` owned by the services' UID: the Pod's emptyDir, small on purpose. */
async function tinyVolume(size: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'podmates-full-disk-'));
  const uid = serviceUid();
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700,uid=${uid},gid=${uid}`, 'tmpfs', dir]);
  return dir;
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);

describePod('a full volume', () => {
  test('256 KiB filled by 8 clients: 503 and not Ready instead of a crash, nothing refused is processed, all accepted processed after a restart with room', async () => {
    volume = await tinyVolume('256k');
    pod = await PodBox.create('full-disk');
    const env = { STATE_DIR: volume, REDELIVERY_CHECK_MS: '200' };
    const sidecar = pod.start('sidecar', env);
    await sidecar.waitForEvent('ready');
    let app = pod.start('app', env, 'app-on-full-disk');
    await app.waitForEvent('ready');

    // Clients retry every 503 until the deadline, as they are told to.
    const load = pod.probe().load(APP_URL, 10_000_000, 8, 20_000, 'until-shutdown');
    await app.waitForEvent('journal_write_failed', 30_000);
    const notReady = await httpIn(pod, 'GET', `${APP_URL}/readyz`);
    expect(notReady).toMatchObject({ status: 503, body: { ready: false } });
    expect(fieldsOf(notReady).reason).toMatch(/journal cannot be written: .*ENOSPC/);
    const refused = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'no room' }));
    expect(refused).toMatchObject({ status: 503, body: { reason: 'journal_unavailable' } });
    expect(refused.headers['retry-after']).toBe('1');
    const result = await load;
    expect(result.accepted).toBeGreaterThan(100);
    expect(result.retriedBusy).toBeGreaterThan(100);
    expect(app.lines.join('\n'), 'the app exited while the disk was full').not.toMatch(
      /"event":"(uncaught_exception|stopping|stop_failed)"/,
    );
    expect(stateOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`)).journal).toMatchObject({ healthy: false });

    // Room again: the journal is rewritten from memory and the app is Ready again, without a restart.
    await execa('mount', ['-o', 'remount,size=8m', volume]);
    await app.waitForEvent('journal_recovered', 10_000);
    expect((await httpIn(pod, 'GET', `${APP_URL}/readyz`)).status).toBe(200);

    // Nothing it refused reached the sidecar: it processed exactly what was accepted.
    const sidecarMetrics = (await httpIn(pod, 'GET', `${SIDECAR_URL}/metrics`)).body as string;
    expect(metric(sidecarMetrics, 'podmates_sidecar_processed_total'), 'messages refused with 503 were processed anyway').toBe(
      result.accepted,
    );
    const appMetrics = (await httpIn(pod, 'GET', `${APP_URL}/metrics`)).body as string;
    expect(metric(appMetrics, 'podmates_app_unknown_replies_total')).toBe(0);

    // Then a SIGKILL, and a restart: every accepted message has its result.
    await app.stop('SIGKILL');
    app = pod.start('app', env, 'app-restarted');
    await app.waitForEvent('ready');
    for (let i = 0; i < 100; i++) {
      if (stateOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`)).counters.inFlight === 0) break;
      await sleep(200);
    }
    await app.stop('SIGTERM');
    const { journal, replayed } = Journal.read(volume);
    const ledger = new Ledger(journal, 1_000_000);
    ledger.replay(replayed.records, replayed.corrupt);
    const wrong = (result.acceptedMessages ?? []).filter((want) => ledger.get(want.id)?.result?.sha256 !== want.sha256);
    expect(wrong, `${wrong.length} of ${result.accepted} accepted messages have no or a wrong result`).toEqual([]);
    expect(replayed.corrupt).toEqual([]);
    process.stdout.write(
      `full disk: ${result.accepted} accepted, ${result.retriedBusy} refused with 503 and retried, all accepted processed, none refused processed\n`,
    );
  }, 120_000);
});
