// The delivery judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeDelivery } from './delivery.js';

test('delivery: every accepted message processed with its result passes; each way of losing one is named', () => {
  const clean = { accepted: 3, refused: [], notFound: [], lost: [], failed: [], wrong: [] };
  expect(judgeDelivery(clean, 3)).toEqual([]);
  expect(judgeDelivery({ ...clean, accepted: 2 }, 3)).toEqual(['only 2 of 3 messages were accepted before the deadline']);
  expect(judgeDelivery({ ...clean, lost: ['id-1'] }, 3)).toEqual([
    '1 accepted messages were never processed (first: id-1): a request taken by a sidecar that died, or a reply read by an app that died, was not delivered again',
  ]);
  expect(judgeDelivery({ ...clean, notFound: ['id-2', 'id-3'] }, 3)).toEqual([
    '2 accepted messages are unknown to the app (404): its record of what it accepted did not survive (first: id-2)',
  ]);
  expect(judgeDelivery({ ...clean, failed: ['id-4'] }, 3)[0]).toMatch(/given up after their last redelivery/);
  expect(judgeDelivery({ ...clean, wrong: ['id-5'] }, 3)[0]).toMatch(/processed with a wrong result \(first: id-5\)/);
  expect(judgeDelivery({ ...clean, refused: [{ status: 400 }] }, 3)[0]).toMatch(/refused for good/);
  expect(judgeDelivery(null, 3)[0]).toMatch(/the load produced no result/);
});
