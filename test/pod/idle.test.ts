// An idle Pod costs nothing: with no traffic, neither service's main thread
// wakes up. Before, each woke about 100 times a second: a 10 ms watchdog
// against posix-mq's missed events (patches/posix-mq+1.1.3.patch fixes them)
// and prom-client's event-loop-delay histogram, whose timer also ticks every
// 10 ms (patches/prom-client+15.1.3.patch lets it be turned off).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { judgeRoundTrip } from '../../scripts/demo/judges/round-trip.js';
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
    expect(judgeRoundTrip(await pod.probe().roundtrip(APP_URL, 50), 50)).toEqual([]);
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
    // Then each second on its own: a timer wakes a loop every period, while
    // V8's housekeeping comes in bursts (under load in CI, 11 wake-ups in one
    // 10 s window, in one or two seconds of it). A timer of 1 Hz or more leaves
    // no quiet second; one of 0.5 Hz leaves five.
    const perSecond: Array<{ app: number; sidecar: number }> = [];
    for (let second = 0; second < IDLE_SECONDS; second++) {
      await sleep(1000);
      const now = count();
      perSecond.push({ app: now.app - last.app, sidecar: now.sidecar - last.sidecar });
      last = now;
    }
    for (const name of ['app', 'sidecar'] as const) {
      const series = perSecond.map((second) => second[name]);
      const quiet = series.filter((woke) => woke === 0).length;
      expect(
        quiet,
        `the ${name}'s main thread woke in ${IDLE_SECONDS - quiet} of ${IDLE_SECONDS} idle seconds (${series.join(' ')}): something ticks`,
      ).toBeGreaterThanOrEqual(IDLE_SECONDS - 3);
    }
  }, 60_000);
});
