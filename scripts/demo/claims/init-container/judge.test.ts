// 5s's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeInitContainer } from './judge.js';

test('init container: ran first, exited 0, and the sidecar processed what it left; each failure says which', () => {
  const seen = {
    name: 'make-queue',
    exited: { exitCode: 0, finishedAt: '2026-11-29T12:00:01Z' },
    left: { id: '00000000-0000-4000-8000-0000000000a1', pushed: true, at: '2026-11-29T12:00:01.250Z' },
    appStartedAt: Date.parse('2026-11-29T12:00:01.400Z'),
    status: { status: 200, body: { sha256: 'abc' } },
    sha256: 'abc',
  };
  expect(judgeInitContainer(seen)).toEqual([]);
  // Within the same second: finishedAt (12:00:01Z) would have let it pass.
  expect(judgeInitContainer({ ...seen, left: { ...seen.left, at: '2026-11-29T12:00:01.600Z' } })).toEqual([
    "the app started (2026-11-29T12:00:01.400Z) before the init container's last act (2026-11-29T12:00:01.600Z)",
  ]);
  expect(judgeInitContainer({ ...seen, exited: undefined })).toEqual(['no init container make-queue ran to completion in this Pod']);
  expect(
    judgeInitContainer({
      ...seen,
      exited: { exitCode: 1, finishedAt: '2026-11-29T12:00:03Z' },
      left: { id: seen.left.id, pushed: false, at: '2026-11-29T12:00:03.100Z' },
      status: { status: 404, body: {} },
    }),
  ).toEqual([
    'the init container make-queue exited 1',
    'the init container make-queue did not leave a request in the queue: {"id":"00000000-0000-4000-8000-0000000000a1","pushed":false,"at":"2026-11-29T12:00:03.100Z"}',
    "the app started (2026-11-29T12:00:01.400Z) before the init container's last act (2026-11-29T12:00:03.100Z)",
    "the sidecar has no status for the init container's request 00000000-0000-4000-8000-0000000000a1 (404): it never found it in the queue",
  ]);
});
