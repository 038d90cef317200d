// A poison message: one whose text kills every sidecar that takes it. Without
// a limit it would crash the sidecar forever and hold up the others; with
// one, it is quarantined after QUARANTINE_AFTER_LOST lost takes (state
// failed, with the reason, listed on the live page), and the rest pass.
import { afterEach, expect, test } from 'vitest';
import { judgeDelivery } from '../../scripts/demo/judges/delivery.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox } from '../support/pod-box.js';
import { Supervised } from '../support/supervisor.js';
import { idOf, messageOf, stateOf } from '../support/answers.js';

let pod: PodBox | undefined;
afterEach(() => pod?.dispose());

describePod('a poison message', () => {
  test('is quarantined after 3 lost takes while 500 others pass', async () => {
    pod = await PodBox.create('poison');
    const sidecar = new Supervised(pod, 'sidecar', () => ({ PODMATES_FAILPOINT: 'sidecar-after-take', PODMATES_FAILPOINT_TEXT: 'poison' }));
    const app = new Supervised(pod, 'app', () => ({ REDELIVERY_CHECK_MS: '200' }));
    await sidecar.start();
    await app.start();

    const poison = await httpIn(pod, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: 'poison' }));
    expect(poison.status).toBe(202);
    const result = await pod.probe().load(APP_URL, 500, 8, 60_000);
    expect(judgeDelivery(result, 500)).toEqual([]);

    let state;
    for (let i = 0; i < 100; i++) {
      state = messageOf(await httpIn(pod, 'GET', `${APP_URL}/messages/${idOf(poison)}`));
      if (state.state === 'failed') break;
    }
    expect(state).toMatchObject({
      state: 'failed',
      failed: 'taken 3 times by a sidecar that died before answering',
      lostTakes: 3,
      result: null,
    });
    expect(sidecar.restarts).toBe(3);
    const pageState = stateOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`));
    expect(pageState.quarantined).toEqual([{ id: idOf(poison), reason: 'taken 3 times by a sidecar that died before answering' }]);
    expect(pageState.counters.failed).toBe(1);
    expect(app.count('quarantined')).toBe(1);
    await Promise.all([app.stop('SIGKILL'), sidecar.stop('SIGKILL')]);
  }, 120_000);
});
