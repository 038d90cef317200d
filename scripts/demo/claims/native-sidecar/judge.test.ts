// 5f's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeDrain, judgeStartOrder, judgeStopOrder, ordersOf } from './judge.js';
import { NATIVE_SIDECAR_LIFE, REVERSED_LIFE } from '../../../../test/support/lifecycle-records.js';

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

test('stop order: the sidecar gets SIGTERM only after the app has stopped', () => {
  const t = Date.parse('2026-12-06T21:00:00.000Z');
  expect(judgeStopOrder({ appStopped: t, sidecarStopping: t + 700 })).toEqual([]);
  // Regular containers get SIGTERM together: the sidecar's comes before the app's drain is over.
  expect(judgeStopOrder({ appStopped: t, sidecarStopping: t - 4000 })).toEqual([
    'the sidecar got SIGTERM at 2026-12-06T20:59:56.000Z, before the app had stopped (2026-12-06T21:00:00.000Z): ' +
      'the kubelet stopped them together, as it does regular containers, not the app first',
  ]);
  expect(judgeStopOrder({ appStopped: undefined, sidecarStopping: t })).toEqual([expect.stringContaining('never finished its drain')]);
  expect(judgeStopOrder({ appStopped: t, sidecarStopping: undefined })).toEqual([expect.stringContaining('never got SIGTERM')]);
});

test("read from the Pod's lifecycle record: in order both pass, reversed both fail", () => {
  const inOrder = ordersOf(NATIVE_SIDECAR_LIFE);
  expect([...judgeStartOrder(inOrder.start), ...judgeStopOrder(inOrder.stop)]).toEqual([]);
  const reversed = ordersOf(REVERSED_LIFE);
  expect(judgeStartOrder(reversed.start)).toEqual([expect.stringContaining('the kubelet did not wait for a startup probe of the sidecar')]);
  expect(judgeStopOrder(reversed.stop)).toEqual([expect.stringContaining('the kubelet stopped them together')]);
});

test('the drain: messages in flight at SIGTERM, all answered by the sidecar that outlived the app', () => {
  expect(judgeDrain({ unansweredAtSigterm: 9, answeredDuringDrain: 9, unanswered: 0, ms: 900 })).toEqual([]);
  expect(judgeDrain({ unansweredAtSigterm: 0, answeredDuringDrain: 0, unanswered: 0, ms: 900 })).toEqual([
    expect.stringContaining('the stop order was not put to the test'),
  ]);
  // Why: the posts had stopped well before the SIGTERM, so the sidecar had caught up.
  expect(
    judgeDrain({
      unansweredAtSigterm: 0,
      answeredDuringDrain: 0,
      unanswered: 0,
      ms: 9,
      acceptedSinceStart: 31,
      lastPostMsBeforeSigterm: 4200,
    }),
  ).toEqual([
    "no message was in flight at the app's SIGTERM (it had accepted 31, the last 4200 ms before SIGTERM): its drain needed no sidecar, so the stop order was not put to the test",
  ]);
  expect(judgeDrain({ unansweredAtSigterm: 9, answeredDuringDrain: 4, unanswered: 5, ms: 19_000 })).toEqual([
    'the app stopped with 5 of 9 messages in flight at SIGTERM unanswered: its sidecar was gone before it',
  ]);
  expect(judgeDrain(undefined)).toEqual([expect.stringContaining('no "drained" line')]);
});
