// The lifecycle timeline: what it draws must follow the record, not what a
// Pod should do.
import { expect, test } from 'vitest';
import type { LifecycleLine } from '../../apps/shared/lifecycle.js';
import { readFileSync } from 'node:fs';
import { lifecyclePictures } from '../../scripts/lib/lifecycle-docs.js';
import { lifecyclePicture, runsOf } from '../../apps/shared/lifecycle-picture.js';
import { NATIVE_SIDECAR_LIFE, REVERSED_LIFE } from '../support/lifecycle-records.js';

/** Each mark's x by container and event, read back from the SVG. */
function marks(svg: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [, container, event, x] of svg.matchAll(/data-container="(\w+)" data-event="(\w+)" data-ms="\d+" (?:x|cx|d)="M?([\d.]+)/g))
    found[`${container} ${event}`] ??= Number(x);
  return found;
}

test('lanes in the order the containers first started; each run from its start to its exit', () => {
  const { containers, runs } = runsOf(NATIVE_SIDECAR_LIFE);
  expect(containers).toEqual(['sidecar', 'app']);
  expect(runs.map(({ container, code, running, end, start }) => ({ container, code, running, ms: end - start }))).toEqual([
    { container: 'sidecar', code: 0, running: false, ms: 12_610 },
    { container: 'app', code: 0, running: false, ms: 10_590 },
  ]);
});

test('the native sidecar drawn: the sidecar up first and stopped last; reversed, the app', () => {
  const inOrder = marks(lifecyclePicture(NATIVE_SIDECAR_LIFE, '5f'));
  expect(inOrder['sidecar starting']).toBeLessThan(inOrder['app starting']!);
  expect(inOrder['app stopping']).toBeLessThan(inOrder['sidecar stopping']!);
  const reversed = marks(lifecyclePicture(REVERSED_LIFE, '5f'));
  expect(reversed['app starting']).toBeLessThan(reversed['sidecar starting']!);
  expect(reversed['sidecar stopping']).toBeLessThan(reversed['app stopping']!);
});

test('a run without an exit line before the next start was killed; one still going at the end is running', () => {
  const at = (ms: number) => new Date(Date.parse('2026-12-06T21:00:00.000Z') + ms).toISOString();
  const lines: LifecycleLine[] = [
    { ts: at(0), container: 'sidecar', event: 'starting', pid: 7 },
    { ts: at(400), container: 'sidecar', event: 'ready', pid: 7 },
    { ts: at(5000), container: 'sidecar', event: 'starting', pid: 21 },
    { ts: at(5400), container: 'sidecar', event: 'ready', pid: 21 },
  ];
  const { runs } = runsOf(lines);
  expect(runs.map(({ code, running }) => ({ code, running }))).toEqual([
    { code: null, running: false },
    { code: null, running: true },
  ]);
  // Looked at later than its last line: the run still going is drawn to then.
  expect(runsOf(lines, at(9000)).runs.at(-1)!.end).toBe(Date.parse(at(9000)));
  const svg = lifecyclePicture(lines, '5h');
  expect(svg.match(/✕ killed/g)).toHaveLength(1);
  expect(svg).toContain('still running when last looked at');
  expect(svg).toContain('aria-label="5h: each container');
});

test("docs/lifecycle's pictures are what their recorded records draw (after changing the picture, run `npm run docs`)", () => {
  const pictures = lifecyclePictures();
  expect(pictures.length).toBeGreaterThanOrEqual(2);
  for (const { file, svg } of pictures) expect(readFileSync(file, 'utf8'), file).toBe(svg);
});
