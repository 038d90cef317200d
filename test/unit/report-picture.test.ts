// The HTML report's pictures: what they draw must follow what the run measured.
import { expect, test } from 'vitest';
import { podPicture, timeline } from '../../scripts/lib/report-picture.js';
import { toHtml } from '../../scripts/lib/report-html.js';
import { Report, type StepResult } from '../../scripts/lib/report.js';

const seen = {
  app: { net: 'net:[4026532512]', ipc: 'ipc:[4026532510]', pid: 'pid:[4026532600]', mnt: 'mnt:[<1>]' },
  sidecar: { net: 'net:[4026532512]', ipc: 'ipc:[4026532999]', pid: 'pid:[4026532700]', mnt: 'mnt:[2]' },
};

test('a shared namespace is one green bar across both containers, a separate one two grey bars with each inode', () => {
  const svg = podPicture(seen);
  expect(svg).toContain('net: shared, net:[4026532512]');
  // ipc differs here, so it is drawn apart: the picture follows the inodes, not what a Pod should share.
  expect(svg).not.toContain('ipc: shared');
  expect(svg).toContain('>ipc:[4026532510]<');
  expect(svg).toContain('>ipc:[4026532999]<');
  expect(svg.match(/fill="#2da44e"/g)).toHaveLength(1);
  expect(svg.match(/fill="#8c959f"/g)).toHaveLength(6);
  expect(svg).toContain('mnt:[&lt;1&gt;]');
});

test('the timeline draws each step from its start, so steps that ran side by side overlap', () => {
  const step = (name: string, startMs: number, ms: number, status: StepResult['status'] = 'passed'): StepResult => ({
    name,
    startMs,
    ms,
    status,
    problems: [],
  });
  const svg = timeline([step('5g. clash', 0, 5000), step('5h. crash', 0, 10_000, 'failed'), step('5k. sysv', 5000, 5000)], 10_000);
  const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)"[^>]*fill="([^"]+)"/g)].map(([, x, width, fill]) => ({
    x: Number(x),
    width: Number(width),
    fill,
  }));
  const [clash, crash, sysv] = bars as [(typeof bars)[0], (typeof bars)[0], (typeof bars)[0]];
  expect(clash.x).toBe(crash.x);
  expect(crash.width).toBeCloseTo(2 * clash.width, 0);
  expect(sysv.x).toBeCloseTo(clash.x + clash.width, 0);
  expect(bars.map((bar) => bar.fill)).toEqual(['#2da44e', '#cf222e', '#2da44e']);
});

test('the page has the Pod picture when step 5a measured the namespaces, and none otherwise', async () => {
  const report = new Report('demo', () => undefined);
  await report.step('5b. loopback', async () => 'ok');
  expect(toHtml(report.toJSON())).not.toContain('The Pod, as this run measured it');
  report.measured(seen);
  const page = toHtml(report.toJSON());
  expect(page).toContain('The Pod, as this run measured it');
  expect(page).toContain('When each step ran');
});

test("the timeline labels a step by its number, or one without (the compose demo's own) by its first words, cut to fit", () => {
  const step = (name: string): StepResult => ({ name, startMs: 0, ms: 1000, status: 'passed', problems: [] });
  const svg = timeline([step('5g. clash: both on 8080'), step('start order: `up` waits for the healthcheck'), step('3. images')], 1000);
  const labels = [...svg.matchAll(/<text x="4" y="\d+">([^<]*)<\/text>/g)].map(([, label]) => label);
  expect(labels).toEqual(['5g', 'start ord', '3']);
});
