// 5t's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeLivePage } from './judge.js';

test('live page: the strict policy, its script, the verdicts of GET /pod, the event stream and a processed message', () => {
  const verdict = { net: 'shared', pid: 'separate' };
  const seen = {
    page: { status: 200, type: 'text/html; charset=UTF-8', policy: "default-src 'none'" },
    script: { status: 200, type: 'application/javascript; charset=UTF-8' },
    expectedPolicy: "default-src 'none'",
    state: { verdict, sidecarUp: true },
    pod: { verdict },
    event: { ok: true as const },
    sent: { state: 'processed', charted: true },
  };
  expect(judgeLivePage(seen)).toEqual([]);
  expect(
    judgeLivePage({
      ...seen,
      page: { status: 200, type: 'text/html', policy: "default-src 'self' 'unsafe-inline'" },
      script: { status: 404, type: 'application/json' },
      state: { verdict: { net: 'separate', pid: 'separate' }, sidecarUp: false },
      event: { ok: false, error: 'none within 5 s' },
      sent: { state: 'queued', charted: false },
    }),
  ).toEqual([
    `GET / came with Content-Security-Policy "default-src 'self' 'unsafe-inline'", not "default-src 'none'"`,
    'GET /page.js answered 404 application/json, not 200 JavaScript',
    'the page would draw {"net":"separate","pid":"separate"}; GET /pod says {"net":"shared","pid":"separate"}',
    'the page would say the sidecar does not answer',
    'no Server-Sent Event from GET /api/events: none within 5 s',
    "a message sent as the page's form does ended queued, not processed",
  ]);
  expect(judgeLivePage({ ...seen, page: { ...seen.page, status: 404 }, sent: { state: 'processed', charted: false } })).toEqual([
    'GET / answered 404 text/html; charset=UTF-8, not 200 text/html',
    "a processed message's round trip is not in the chart's data (GET /api/state roundTrips)",
  ]);
});
