// Several Pods on one node, all running as one UID: the kernel charges every
// POSIX queue to that UID's RLIMIT_MSGQUEUE, across all IPC namespaces.
import { afterEach, expect, test } from 'vitest';
import { ExitCode } from '../../apps/shared/exit-codes.js';
import { describePod } from '../support/describe-pod.js';
import { APP_URL, httpIn, PodBox, SERVICE_UID, serviceUid, startPod } from '../support/pod-box.js';

const boxes: PodBox[] = [];
afterEach(async () => {
  await Promise.all(boxes.splice(0).map((box) => box.dispose()));
});

async function pods(count: number, uid: number): Promise<PodBox[]> {
  const created = await Promise.all(Array.from({ length: count }, (_, i) => PodBox.create(`uid${uid}-pod-${i + 1}`, { uid })));
  boxes.push(...created);
  return created;
}

describePod('Pods of one UID on one node share one queue budget', () => {
  test('five Pods of the same UID, each with its own two queues, all start and serve', async () => {
    for (const pod of await pods(5, serviceUid())) {
      await startPod(pod);
      expect((await httpIn(pod, 'GET', `${APP_URL}/readyz`)).status).toBe(200);
    }
  });

  test('with 8 KiB messages the fifth Pod cannot create its queues, and says why: the budget, the UID, who shares it', async () => {
    // A budget of its own, untouched by the other tests (root's, where the checkout is private).
    const uid = serviceUid() === 0 ? 0 : SERVICE_UID + 1;
    const [first, ...rest] = await pods(5, uid);
    const env = { QUEUE_MESSAGE_SIZE: '8192' };
    for (const pod of [first!, ...rest.slice(0, 3)]) await pod.start('sidecar', env).waitForEvent('ready');
    const fifth = await rest[3]!.start('sidecar', env).exit();
    expect(fifth.exitCode).toBe(ExitCode.queueUnavailable);
    expect(fifth.output).toContain('cannot open message queue /podmates.replies: Too many open files');
    expect(fifth.output).toContain(`RLIMIT_MSGQUEUE of UID ${uid} is used up`);
    expect(fifth.output).toContain('every Pod running as this UID here');
    expect(fifth.output).toContain('so 4 such Pods fit');
  });
});
