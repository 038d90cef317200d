// A demo report, written the way every run writes it, opened in a real
// browser: it renders every step, the Pod as measured and the links to the
// saved logs, and its policy (its own hashed style sheet, nothing else)
// refuses nothing it needs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CheckFailed } from '../../scripts/lib/check-failed.js';
import { saveReport } from '../../scripts/lib/report-files.js';
import { Report } from '../../scripts/lib/report.js';
import { chromiumBlocker, collectErrors, launchBrowser, screenshot } from '../support/browser.js';
import { describeIf } from '../support/describe-pod.js';
import { NATIVE_SIDECAR_LIFE, REVERSED_LIFE } from '../support/lifecycle-records.js';

const seen = {
  app: { net: 'net:[4026532430]', ipc: 'ipc:[4026532503]', uts: 'uts:[4026532502]', pid: 'pid:[4026532586]', mnt: 'mnt:[4026532584]' },
  sidecar: { net: 'net:[4026532430]', ipc: 'ipc:[4026532503]', uts: 'uts:[4026532502]', pid: 'pid:[4026532512]', mnt: 'mnt:[4026532511]' },
};

describeIf('a demo report in a real browser', chromiumBlocker(), () => {
  let browser: Browser;
  let page: string;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'podmates-report-'));
    mkdirSync(join(folder, 'logs'));
    writeFileSync(join(folder, 'logs', 'events.txt'), 'what a failure saved');
    const report = new Report('podmates: two containers, one Pod, on Kubernetes', () => undefined);
    await report.step('5a. namespaces: net, ipc, uts shared; pid and mnt separate', async () => 'as measured');
    await report.step('5b. HTTP over 127.0.0.1 both ways', async () => 'app → sidecar <ok> & back');
    await report.step('5g. clash: two containers on port 8080', async () => {
      throw new CheckFailed('clash', ['the second app did not exit 98']);
    });
    report.measured(seen);
    report.lifecycle('5f. native sidecar: in order', NATIVE_SIDECAR_LIFE);
    report.lifecycle('5f. native sidecar: reversed', REVERSED_LIFE);
    page = saveReport(report, { folder });
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  test('it renders each step with its result, the Pod picture and the saved logs, with no error', async () => {
    const tab = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const errors = collectErrors(tab);
    await tab.goto(pathToFileURL(page).href);
    const rows = await tab.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    expect(rows.map((row) => [row[0], row[1]])).toEqual([
      ['✔ passed', '5a. namespaces: net, ipc, uts shared; pid and mnt separate'],
      ['✔ passed', '5b. HTTP over 127.0.0.1 both ways'],
      ['✘ failed', '5g. clash: two containers on port 8080'],
    ]);
    expect(rows[1]?.[3]).toBe('app → sidecar <ok> & back');
    expect(rows[2]?.[3]).toContain('the second app did not exit 98');
    // The style sheet applied: allowed by its hash, or it would be an error below and the colour the default.
    expect(await tab.$eval('td.failed', (td) => getComputedStyle(td).color)).toBe('rgb(207, 34, 46)');
    expect(await tab.$$eval('svg[role="img"]', (pictures) => pictures.length)).toBe(4);
    expect(await tab.$eval('ul.saved a', (link) => link.getAttribute('href'))).toBe('logs/events.txt');
    await screenshot(tab, 'report');
    expect(errors).toEqual([]);
  });

  test('each lifecycle record is drawn as the browser lays it out: who started first is left, and a reversed record reversed', async () => {
    const tab = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const errors = collectErrors(tab);
    await tab.goto(pathToFileURL(page).href);
    // Where the browser drew each container's first start and SIGTERM, per picture.
    const drawn = await tab.$$eval('svg[aria-label^="5f."]', (pictures) =>
      pictures.map((svg) => {
        const left = (container: string, event: string) =>
          svg.querySelector(`[data-container="${container}"][data-event="${event}"]`)!.getBoundingClientRect().left;
        return {
          label: svg.getAttribute('aria-label'),
          sidecarStartsFirst: left('sidecar', 'starting') < left('app', 'starting'),
          appStoppedFirst: left('app', 'stopping') < left('sidecar', 'stopping'),
        };
      }),
    );
    expect(drawn.map(({ label }) => label?.split(':')[1])).toEqual([' in order', ' reversed']);
    expect(drawn.map(({ sidecarStartsFirst, appStoppedFirst }) => [sidecarStartsFirst, appStoppedFirst])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(errors).toEqual([]);
  });
});
