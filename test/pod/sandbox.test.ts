// The Pod sandbox re-created (its pause process killed, the runtime
// restarted): the Pod gets a new IPC namespace, so new, empty queues, but
// keeps its emptyDir, so the app's journal. Every accepted message that was
// waiting in the old queues is pushed again and processed.
import { afterEach, expect, test } from 'vitest';
import { podStateDir } from '../../scripts/lib/namespaces.js';
import { rmSync } from 'node:fs';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox, serviceUid, startPod, waitProcessed } from '../support/pod-box.js';
import { idOf } from '../support/answers.js';
import { REQUEST_QUEUE } from '../../apps/probe/contract.js';

const boxes: PodBox[] = [];
let state: string | undefined;
afterEach(async () => {
  for (const box of boxes.splice(0)) await box.dispose();
  if (state) rmSync(state, { recursive: true, force: true });
});

describePod('a re-created Pod sandbox', () => {
  test('new queues, the same emptyDir: the journal brings back every unanswered message', async () => {
    state = podStateDir('sandbox', serviceUid());
    const first = await PodBox.create('sandbox-1', { stateDir: state });
    boxes.push(first);
    const { sidecar } = await startPod(first);
    process.kill(sidecar.pid!, 'SIGSTOP'); // nothing is processed: the messages wait in the queue
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(idOf(await httpIn(first, 'POST', `${APP_URL}/messages`, JSON.stringify({ text: `before the sandbox went ${i}` }))));
    await first.dispose(); // every process and the IPC namespace with its queues: gone

    const second = await PodBox.create('sandbox-2', { stateDir: state });
    boxes.push(second);
    const opened = await second.probe().mqOpen(...REQUEST_QUEUE);
    expect(opened.ok).toBe(false);
    expect(opened.error).toMatch(/No such file or directory/);
    const { app } = await startPod(second);
    for (const id of ids) expect((await waitProcessed(second, id, 15_000)).body).toMatchObject({ state: 'processed' });
    expect(await app.waitForEvent('journal_replayed')).toMatchObject({ unanswered: 5, copiesInQueue: 0 });
  });
});
