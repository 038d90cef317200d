// 5f's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeStartOrder } from './judge.js';

test('start order: the app must start after the sidecar first answered a health check', () => {
  const t = Date.parse('2026-11-29T12:00:00.000Z');
  expect(judgeStartOrder({ sidecarFirstAnswered: t, appProcessStarted: t + 900 })).toEqual([]);
  expect(judgeStartOrder({ sidecarFirstAnswered: t + 1900, appProcessStarted: t })).toEqual([
    "the app's process started at 2026-11-29T12:00:00.000Z, before the sidecar first answered a health check (2026-11-29T12:00:01.900Z): the kubelet did not wait for a startup probe of the sidecar",
  ]);
  expect(judgeStartOrder({ sidecarFirstAnswered: undefined, appProcessStarted: t })).toEqual([
    'the sidecar never answered a health check: nothing waited for it to be serving',
  ]);
  expect(judgeStartOrder({ sidecarFirstAnswered: t, appProcessStarted: undefined })[0]).toMatch(/the app's log has no start/);
});
