import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CheckFailed } from '../../scripts/lib/check-failed.js';
import { saveReport } from '../../scripts/lib/report-files.js';
import { toHtml } from '../../scripts/lib/report-html.js';
import { Aborted, Report, toJUnit } from '../../scripts/lib/report.js';

const quiet = () => {
  const lines: string[] = [];
  return { lines, report: new Report('demo', (text) => lines.push(text)) };
};

test('a step that throws CheckFailed is failed with its problems; the run is then not passed', async () => {
  const { lines, report } = quiet();
  await report.step('good', async () => 'detail');
  await report.step('bad', async () => {
    throw new CheckFailed('bad', ['ipc namespace is not shared', 'second']);
  });
  expect(report.passed).toBe(false);
  expect(report.steps.map((step) => [step.name, step.status, step.problems])).toEqual([
    ['good', 'passed', []],
    ['bad', 'failed', ['ipc namespace is not shared', 'second']],
  ]);
  expect(lines.join('')).toMatch(/▶ bad\n {2}✘ FAILED in \d+\.\d s\n {4}- ipc namespace is not shared\n/);
});

test('a failed required step aborts the run after being recorded', async () => {
  const { report } = quiet();
  await expect(report.step('cluster', async () => Promise.reject(new Error('kind is not installed')), { required: true })).rejects.toThrow(
    Aborted,
  );
  expect(report.steps[0]).toMatchObject({ status: 'failed', problems: ['kind is not installed'] });
});

test('no step run is not a pass', () => {
  expect(quiet().report.passed).toBe(false);
});

test('JUnit XML: a test case a step, failures with escaped messages', async () => {
  const { report } = quiet();
  await report.step('ok <1>', async () => undefined);
  await report.step('clash', async () => {
    throw new CheckFailed('clash', ['exit 0 & no "address already in use"']);
  });
  const xml = toJUnit(report.toJSON());
  expect(xml).toContain('<testsuite name="demo" tests="2" failures="1"');
  expect(xml).toContain('<testcase classname="podmates.demo" name="ok &lt;1&gt;"');
  expect(xml).toContain('<failure message="exit 0 &amp; no &quot;address already in use&quot;">');
});

test('JUnit XML: ANSI escapes and the other characters XML 1.0 forbids are left out', async () => {
  const { report } = quiet();
  await report.step('kubectl', async () => {
    throw new CheckFailed('kubectl', ['\u001b[31merror:\u001b[0m pod not found\u0000\u0008\ufffe \ud800tab\there']);
  });
  const xml = toJUnit(report.toJSON());
  expect(xml).toContain('<failure message="error: pod not found tab\there">');
  // Every character left is one XML 1.0 allows.
  expect(xml).toMatch(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u);
});

test('HTML page: every step and fact escaped, and a policy that allows its own style sheet and nothing else', async () => {
  const { report } = quiet();
  await report.step('5b. <script>alert(1)</script>', async () => 'detail & more');
  await report.step('5g. clash', async () => {
    throw new CheckFailed('clash', ['exit 0, no "address already in use"']);
  });
  report.fact('Kubernetes', 'v1.34 <kind>');
  const page = toHtml(report.toJSON());
  expect(page).not.toContain('<script>');
  expect(page).toContain('5b. &lt;script&gt;alert(1)&lt;/script&gt;');
  expect(page).toContain('<li>exit 0, no &quot;address already in use&quot;</li>');
  expect(page).toContain('<dd>v1.34 &lt;kind&gt;</dd>');
  expect(page).toContain('1 passed, 1 failed');
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
  const hash = createHash('sha256').update(style).digest('base64');
  expect(page).toContain(`content="default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'"`);
});

test('steps run side by side are written in the order they were begun, the first one live, and recorded in that order', async () => {
  const { lines, report } = quiet();
  let finishFirst!: () => void;
  const first = report.step('first', (progress) => {
    progress('working');
    return new Promise<string>((resolve) => (finishFirst = () => resolve('one')));
  });
  const second = report.step('second', async (progress) => {
    progress('held');
    return 'two';
  });
  await second;
  // The second has finished, but its lines wait for the first, which is live.
  expect(lines.join('')).toMatch(/^demo\n\n▶ first\n {4}… working \(\d+\.\d s\)\n$/);
  finishFirst();
  await first;
  expect(lines.join('')).toMatch(
    /▶ first\n {4}… working .*\n {2}✔ passed in \d+\.\d s: one\n▶ second\n {4}… held .*\n {2}✔ passed in \d+\.\d s: two\n$/,
  );
  expect(report.steps.map((step) => step.name)).toEqual(['first', 'second']);
});

test("a step's time counts from when it may start, not from when it was begun", async () => {
  const { report } = quiet();
  let go!: () => void;
  const waiting = report.step('later', async () => 'ran', { startAfter: new Promise<void>((resolve) => (go = resolve)) });
  await new Promise((resolve) => setTimeout(resolve, 300));
  go();
  await waiting;
  expect(report.steps[0]!.ms).toBeLessThan(250);
  expect(report.steps[0]!.startMs).toBeGreaterThanOrEqual(250);
});

test("the run's folder: report.html and report.json every run, the page linking to the logs a failure saved there", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'podmates-run-'));
  mkdirSync(join(folder, 'logs'));
  writeFileSync(join(folder, 'logs', 'pod a.app.log'), 'x');
  const report = new Report('demo', () => undefined);
  await report.step('5b. loopback', async () => 'ok');
  const page = saveReport(report, { folder });
  const html = readFileSync(page, 'utf8');
  expect(html).toContain('<a href="logs/pod%20a.app.log">logs/pod a.app.log</a>');
  expect(JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'))).toMatchObject({ passed: true, steps: [{ name: '5b. loopback' }] });
  // Nothing saved, no section: a run that passed links to no logs.
  rmSync(join(folder, 'logs'), { recursive: true });
  expect(readFileSync(saveReport(report, { folder }), 'utf8')).not.toContain('Saved for reading');
});
