// The round-trip judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeRoundTrip } from './round-trip.js';

const roundTrip = (overrides: object) => ({
  requested: 3,
  accepted: 3,
  retried: 0,
  processed: 3,
  lost: [],
  duplicated: [],
  refused: [],
  ...overrides,
});

test('round trip: passes only when every message came back exactly once', () => {
  expect(judgeRoundTrip(roundTrip({}), 3)).toEqual([]);
  expect(judgeRoundTrip(roundTrip({ retried: 7 }), 3)).toEqual([]); // 503s retried are backpressure, not loss
  expect(judgeRoundTrip(roundTrip({ processed: 1, lost: ['a', 'b'] }), 3)).toEqual([
    expect.stringMatching(
      /^2 of 3 accepted messages never came back through the reply queue \(first: a\); is the sidecar reading the same queue/,
    ),
  ]);
  expect(judgeRoundTrip(roundTrip({ duplicated: ['a'] }), 3)).toEqual([
    '1 messages were taken by the sidecar more often than the app pushed them (first: a): a copy came from elsewhere, and the work may have been done twice',
  ]);
  expect(judgeRoundTrip(roundTrip({ accepted: 2, refused: [{ status: 500, body: {} }] }), 3)).toEqual([
    'only 2 of 3 messages were accepted',
    '1 messages were refused, first: {"status":500,"body":{}}',
  ]);
  expect(judgeRoundTrip(null, 3)).toEqual(['round trip produced no result: null']);
});
