import { expect, test } from 'vitest';
import type { LifecycleLine } from '../../../apps/shared/lifecycle.js';
import { judgePodStop } from './pod-stop-judge.js';

const asked = Date.parse('2026-12-07T08:41:12.262Z');
const line = (ms: number, container: string, event: LifecycleLine['event']): LifecycleLine => ({
  ts: new Date(asked + ms).toISOString(),
  container,
  event,
  pid: 1,
});

// As recorded on Podman 4.3.1 (2026-12-07): both signalled at once, the sidecar stopped after the app.
const recorded = [
  line(62, 'sidecar', 'stopping'),
  line(80, 'app', 'stopping'),
  line(82, 'app', 'stopped'),
  line(199, 'sidecar', 'stopped'),
];

test('both signalled at once and the sidecar stopping after the app passes, with the gaps measured', () => {
  expect(judgePodStop({ asked, preStopSeconds: 5, record: recorded })).toEqual({
    problems: [],
    appSigterm: 80,
    sidecarSigterm: 62,
    sidecarAfterApp: 117,
  });
});

test('a SIGTERM after the preStop sleep is named', () => {
  const record = [line(5100, 'sidecar', 'stopping'), ...recorded.slice(1)];
  expect(judgePodStop({ asked, preStopSeconds: 5, record }).problems).toEqual([
    'the sidecar got SIGTERM 5100 ms after `pod stop`, not at once: something ran its preStop (sleep 5 s), which Podman 4 ignores',
  ]);
});

test('a sidecar that stopped before the app finished is named', () => {
  const record = [...recorded.slice(0, 3), line(40, 'sidecar', 'stopped')];
  expect(judgePodStop({ asked, preStopSeconds: 5, record }).problems).toEqual([
    'the sidecar stopped 42 ms before the app had finished its drain: its watch of the app did not keep it answering',
  ]);
});

test('lines from before the stop do not count: no SIGTERM is named', () => {
  const record = [line(-1000, 'app', 'stopping'), line(-990, 'app', 'stopped'), ...recorded.filter((seen) => seen.container === 'sidecar')];
  expect(judgePodStop({ asked, preStopSeconds: 5, record }).problems).toEqual([
    'the app has no "stopping" line after `pod stop`: it never got SIGTERM',
    'the app has no "stopped" line: it never finished its drain',
  ]);
});
