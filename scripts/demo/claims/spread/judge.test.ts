// 5u's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeSpread } from './judge.js';

test('spread: each replica whole, its own loopback, its messages its own', () => {
  const replica = (pod: string, net: string, elsewhere: Array<{ pod: string; status: number }>) => ({
    pod,
    node: 'worker',
    verdict: { net: 'shared', ipc: 'shared' },
    net,
    sent: { id: `id-${pod}`, state: 'processed' },
    elsewhere,
  });
  const good = [replica('a', 'net:[1]', [{ pod: 'b', status: 404 }]), replica('b', 'net:[2]', [{ pod: 'a', status: 404 }])];
  expect(judgeSpread(good, 2, 1)).toEqual([]);
  expect(judgeSpread(good, 2, null)).toEqual([]);
  expect(judgeSpread(good, 2, 2)).toEqual(['all 2 replicas are on worker although 2 nodes can take Pods: the spread did not spread']);
  expect(judgeSpread([good[0]!, { ...good[1]!, node: 'worker2' }], 2, 2)).toEqual([]);
  expect(
    judgeSpread(
      [
        {
          ...replica('a', 'net:[1]', [{ pod: 'b', status: 200 }]),
          verdict: { net: 'separate', ipc: 'shared' },
          sent: { id: 'id-a', state: 'queued' },
        },
        replica('b', 'net:[1]', [{ pod: 'a', status: 404 }]),
      ],
      3,
      1,
    ),
  ).toEqual([
    '2 replicas running, expected 3',
    'a: its app and sidecar are not in one net namespace (GET /pod: separate)',
    'a: the message sent to its app ended queued, not processed',
    "b answered 200 for a's message id-a: it should not know it (404)",
    'a and b share net:[1]: each replica must have its own loopback',
  ]);
});
