// An idle Pod costs nothing: with no traffic, neither service's main thread
// wakes up. Before, each woke about 100 times a second: a 10 ms watchdog
// against posix-mq's missed events (patches/posix-mq+1.1.3.patch fixes them)
// and prom-client's event-loop-delay histogram, whose timer also ticks every
// 10 ms (patches/prom-client+15.1.3.patch lets it be turned off).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { judgeRoundTrip } from '../../scripts/lib/checks.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, PodBox, startPod, type Service } from '../support/pod-box.js';

/** Voluntary context switches of a process's main thread: each is a wake-up after its event loop slept. */
function wakeUps(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1]);
}

const IDLE_SECONDS = 10;

describePod('an idle Pod: the app and the sidecar sleep', () => {
  let pod: PodBox;
  let services: Record<'app' | 'sidecar', Service>;

  beforeAll(async () => {
    pod = await PodBox.create('pod-idle');
    services = await startPod(pod);
    // Traffic first, so that idle means "after work", with the queues' handles opened and used.
    expect(judgeRoundTrip(await pod.probe('roundtrip', APP_URL, '50'), 50)).toEqual([]);
  });
  afterAll(() => pod?.dispose());

  test(`over ${IDLE_SECONDS} s with no traffic, no timer wakes either main thread`, async () => {
    const pids = { app: services.app.pid!, sidecar: services.sidecar.pid! };
    const count = () => ({ app: wakeUps(pids.app), sidecar: wakeUps(pids.sidecar) });
    // After work, the closing keep-alive sockets and V8's memory reducer (its
    // GCs about 8 s later) wake the loop a few dozen times over about 10 s,
    // with quiet seconds between (measured): idle starts 12 s after the
    // traffic, with three quiet seconds.
    await sleep(12_000);
    let last = count();
    for (let second = 0, quiet = 0; quiet < 3 && second < 30; second++) {
      await sleep(1000);
      const now = count();
      quiet = now.app === last.app && now.sidecar === last.sidecar ? quiet + 1 : 0;
      last = now;
    }
    await sleep(IDLE_SECONDS * 1000);
    const after = count();
    const woke = { app: after.app - last.app, sidecar: after.sidecar - last.sidecar };
    // Usually 0 for both (measured). V8 still wakes a process now and then
    // (about every 30 s, more under load); a timer of 1 Hz or more, like the
    // 100 Hz ones this guards against, would show 10 or more.
    for (const name of ['app', 'sidecar'] as const) {
      expect(woke[name], `the ${name}'s main thread woke ${woke[name]} times in ${IDLE_SECONDS} s idle: something ticks at 1 Hz or more`).toBeLessThan(IDLE_SECONDS);
    }
  }, 60_000);
});
