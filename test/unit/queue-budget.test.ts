import { expect, test } from 'vitest';
import { budgetExhausted, parseMsgqueueLimit, podQueueBytes, queueBytes } from '../../apps/shared/queue-budget.js';

test("a queue's charge follows the kernel's formula (measured: the fifth 8 KiB Pod fails on its second queue)", () => {
  expect(queueBytes(10, 8192)).toBe(82_880);
  // Four Pods and one queue fit in 819,200 bytes, the fifth Pod's second queue does not.
  expect(4 * podQueueBytes(10, 8192) + queueBytes(10, 8192)).toBeLessThanOrEqual(819_200);
  expect(5 * podQueueBytes(10, 8192)).toBeGreaterThan(819_200);
});

test('the default queues (10 x 4096) let 9 Pods of one UID share a node: 8 replicas and a surge', () => {
  expect(podQueueBytes(10, 4096)).toBe(83_840);
  expect(Math.floor(819_200 / podQueueBytes(10, 4096))).toBe(9);
});

test('the budget is read from /proc/self/limits', () => {
  const limits =
    'Limit                     Soft Limit           Hard Limit           Units\nMax msgqueue size         819200               819200               bytes\n';
  expect(parseMsgqueueLimit(limits)).toBe(819_200);
  expect(parseMsgqueueLimit('Max msgqueue size         unlimited            unlimited            bytes')).toBe(Infinity);
  expect(parseMsgqueueLimit('')).toBeNull();
});

test('the exhausted-budget message names the limit, the UID, what shares it and what to do', () => {
  const message = budgetExhausted({ queue: '/podmates.replies', maxMessages: 10, messageSize: 8192, uid: 10001, limit: 819_200 });
  expect(message).toContain('RLIMIT_MSGQUEUE of UID 10001 is used up');
  expect(message).toContain('/podmates.replies needs 82880 bytes of its 819200-byte budget');
  expect(message).toContain('every Pod running as this UID');
  expect(message).toContain('so 4 such Pods fit');
  expect(message).toContain('hostUsers: false');
});
