import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import {
  firstAt,
  lifecycleOfLogs,
  lifecycleRecord,
  mergeLifecycle,
  parseLifecycle,
  type LifecycleLine,
} from '../../apps/shared/lifecycle.js';
import { createLogger } from '../../apps/shared/log.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'podmates-lifecycle-'));
  dirs.push(dir);
  return join(dir, 'lifecycle.jsonl');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

test('the logger puts its lifecycle events, and only those, in the record, at the time of their log line', () => {
  const logged: string[] = [];
  const recorded: [string, string, number | undefined][] = [];
  const log = createLogger(
    'sidecar',
    (line) => logged.push(line),
    (event, ts, code) => recorded.push([event, ts, code]),
  );
  log.info('starting', { pid: 1, processStartedAt: '2026-12-06T10:00:00.000Z' });
  log.warn('reply_queue_full', { id: 'x' });
  log.info('exiting', { code: 69 });
  expect(recorded).toEqual([
    // A start is dated when the process was exec'd.
    ['starting', '2026-12-06T10:00:00.000Z', undefined],
    ['exiting', (JSON.parse(logged[2]!) as { ts: string }).ts, 69],
  ]);
});

test("two containers' records in one file interleave as whole lines, read back in order", () => {
  const file = tempFile();
  const app = lifecycleRecord('app', file);
  const sidecar = lifecycleRecord('sidecar', file);
  sidecar('starting', '2026-12-06T10:00:00.000Z');
  sidecar('ready', '2026-12-06T10:00:00.400Z');
  app('starting', '2026-12-06T10:00:01.000Z');
  app('exiting', '2026-12-06T10:00:09.000Z', 0);
  const lines = parseLifecycle(readFileSync(file, 'utf8'));
  expect(lines.map(({ container, event }) => `${container} ${event}`)).toEqual([
    'sidecar starting',
    'sidecar ready',
    'app starting',
    'app exiting',
  ]);
  expect(lines[3]).toEqual<LifecycleLine>({
    ts: '2026-12-06T10:00:09.000Z',
    container: 'app',
    event: 'exiting',
    pid: process.pid,
    code: 0,
  });
});

test('a record that cannot be written says so once and never throws; no file named, no record', () => {
  const said = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const record = lifecycleRecord('app', join(tempFile(), 'no-such-dir', 'lifecycle.jsonl'));
  expect(() => record('starting', '2026-12-06T10:00:00.000Z')).not.toThrow();
  record('ready', '2026-12-06T10:00:01.000Z');
  expect(said).toHaveBeenCalledTimes(1);
  expect(String(said.mock.calls[0]![0])).toContain('lifecycle_record_failed');
  lifecycleRecord('app', undefined)('starting', '2026-12-06T10:00:00.000Z');
  expect(said).toHaveBeenCalledTimes(1);
});

test('read from logs: the container named by the caller, other events and cut lines skipped', () => {
  const logs = [
    '{"ts":"2026-12-06T10:00:00.300Z","level":"info","service":"app","event":"starting","pid":7,"processStartedAt":"2026-12-06T10:00:00.000Z"}',
    '{"ts":"2026-12-06T10:00:00.100Z","level":"info","service":"app","event":"listening","port":8080}',
    'not json',
    '{"ts":"2026-12-06T10:00:05.000Z","level":"info","service":"app","event":"stopp',
    '{"ts":"2026-12-06T10:00:06.000Z","level":"info","service":"app","event":"exiting","code":0}',
  ].join('\n');
  expect(parseLifecycle(logs, 'app')).toEqual([
    { ts: '2026-12-06T10:00:00.000Z', container: 'app', event: 'starting', pid: 7 },
    { ts: '2026-12-06T10:00:06.000Z', container: 'app', event: 'exiting', pid: 0, code: 0 },
  ]);
});

test("a record and a log read together keep each line once, the record's copy, in time order", () => {
  const line = (container: string, event: LifecycleLine['event'], ts: string, pid: number): LifecycleLine => ({
    ts,
    container,
    event,
    pid,
  });
  const record = [line('sidecar', 'starting', '2026-12-06T10:00:00.000Z', 7), line('app', 'starting', '2026-12-06T10:00:02.000Z', 9)];
  const appLog = [line('app', 'starting', '2026-12-06T10:00:02.000Z', 0), line('app', 'stopped', '2026-12-06T10:00:09.000Z', 0)];
  const merged = mergeLifecycle(appLog, record);
  expect(merged.map(({ container, event, pid }) => `${container} ${event} ${pid}`)).toEqual([
    'sidecar starting 7',
    'app starting 9',
    'app stopped 0',
  ]);
  expect(firstAt(merged, 'app', 'stopped')).toBe(Date.parse('2026-12-06T10:00:09.000Z'));
  expect(firstAt(merged, 'sidecar', 'stopped')).toBeUndefined();
});

test("several containers' logs read together, each line under its container's name", () => {
  const log = (service: string, ms: number) =>
    `{"ts":"2026-12-06T10:00:0${ms}.000Z","level":"info","service":"${service}","event":"stopping"}`;
  expect(lifecycleOfLogs({ app: log('app', 2), sidecar: log('sidecar', 1) }).map(({ container }) => container)).toEqual(['sidecar', 'app']);
});
