// The app's live page in a real browser (chromium, in the Pod's network
// namespace): what it draws is what the Pod measures, its form sends a message
// through the queues, it says when the sidecar is gone, and its policy refuses
// anything injected.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PAGE_POLICY } from '../../apps/app/live-page.js';
import { fieldsOf, verdictOf } from '../support/answers.js';
import { browserBlocker, browserIn, collectErrors, screenshot } from '../support/browser.js';
import { describeIf } from '../support/describe-pod.js';
import { judgeShownVerdicts, shownVerdicts } from '../support/page-checks.js';
import { APP_URL, httpIn, PodBox, startPod, type Service } from '../support/pod-box.js';
import { stateOf } from '../support/answers.js';

describeIf('the live page in a real browser', browserBlocker(), () => {
  let pod: PodBox;
  let sidecar: Service;
  let app: Service;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let record: string;

  beforeAll(async () => {
    pod = await PodBox.create('page');
    // The Pod's lifecycle record, where both containers can write it (a Pod's shared volume).
    record = join(pod.stateDir, 'lifecycle.jsonl');
    ({ sidecar, app } = await startPod(pod, { LIFECYCLE_FILE: record }));
    browser = await browserIn(pod);
    page = await browser.newPage({ viewport: { width: 860, height: 900 } });
    errors = collectErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await pod?.dispose();
  });

  test('the page comes from the app with a strict Content-Security-Policy, and goes live', async () => {
    const response = await page.goto(`${APP_URL}/`);
    expect(response?.status()).toBe(200);
    const policy = response?.headers()['content-security-policy'];
    expect(policy).toBe(PAGE_POLICY);
    expect(policy).not.toMatch(/unsafe|\*|https?:/);
    await page.waitForSelector('#connection[data-state="live"]');
    expect(errors).toEqual([]);
  });

  test('the namespace verdicts it draws are those of GET /pod', async () => {
    const measured = await httpIn(pod, 'GET', `${APP_URL}/pod`);
    expect(measured.status).toBe(200);
    expect(judgeShownVerdicts(await shownVerdicts(page), verdictOf(measured))).toEqual([]);
  });

  test('a page drawing a wrong verdict fails that check, naming the namespace', async () => {
    const faked = await browser.newPage();
    const state = fieldsOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`)) as { namespaces: { verdict: Record<string, string> } };
    state.namespaces.verdict.net = 'separate';
    // The app's stream replaced by one event whose verdict for net is wrong.
    await faked.route('**/api/events', (route) =>
      route.fulfill({ contentType: 'text/event-stream', body: `data: ${JSON.stringify(state)}\n\n` }),
    );
    await faked.goto(`${APP_URL}/`);
    await faked.waitForSelector('#namespaces [data-kind="net"][data-verdict="separate"]');
    const measured = verdictOf(await httpIn(pod, 'GET', `${APP_URL}/pod`));
    expect(judgeShownVerdicts(await shownVerdicts(faked), measured)).toEqual([
      'the page shows the net namespace as separate; GET /pod says shared',
    ]);
    await faked.close();
  });

  test('a quarantined message and an unwritable journal are shown, as GET /api/state says them', async () => {
    const healthy = await browser.newPage();
    await healthy.goto(`${APP_URL}/`);
    await healthy.waitForSelector('#journal-state[data-healthy="true"]');
    expect(await healthy.locator('#quarantine-empty').isVisible()).toBe(true);
    await healthy.close();

    const troubled = await browser.newPage();
    const state = stateOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`));
    state.quarantined = [{ id: '0193a0a0-0000-7000-8000-000000000001', reason: 'taken 3 times by a sidecar that died before answering' }];
    state.journal = { ...state.journal, healthy: false, error: 'cannot write the journal /state/journal.jsonl: ENOSPC' };
    await troubled.route('**/api/events', (route) =>
      route.fulfill({ contentType: 'text/event-stream', body: `data: ${JSON.stringify(state)}\n\n` }),
    );
    await troubled.goto(`${APP_URL}/`);
    await troubled.waitForSelector('#journal-state[data-healthy="false"]');
    expect(await troubled.locator('#journal-state').textContent()).toMatch(/journal NOT writable: new messages are refused \(.*ENOSPC\)/);
    expect(await troubled.locator('#quarantined li').allTextContents()).toEqual([
      '0193a0a0-0000-7000-8000-000000000001: taken 3 times by a sidecar that died before answering',
    ]);
    expect(await troubled.locator('#quarantine-empty').isVisible()).toBe(false);
    await troubled.close();
  });

  test('a message sent with the form goes through the queues and comes back processed', async () => {
    const text = `sent from the page ${Date.now()}`;
    await page.fill('#text', text);
    await page.click('#send button');
    const result = await page.waitForSelector('#send-result[data-state="processed"]', { timeout: 15_000 });
    const sha256 = createHash('sha256').update(text).digest('hex');
    expect(await result.textContent()).toContain(`sha256 ${sha256.slice(0, 16)}`);
    await page.waitForFunction(() => Number(document.querySelector('[data-counter="processed"]')?.textContent) >= 1);
    await page.waitForFunction(() => document.querySelectorAll('#latency .bar').length >= 1);
    await screenshot(page, 'live-page');
    expect(errors).toEqual([]);
  });

  test('an injected inline script is refused by the policy, and that refusal is an error the tests see', async () => {
    const probe = await browser.newPage();
    const probeErrors = collectErrors(probe);
    await probe.goto(`${APP_URL}/`);
    await probe.addScriptTag({ content: 'window.injected = true' }).catch(() => undefined);
    expect(await probe.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    expect(probeErrors.join('\n')).toMatch(/Content Security Policy/);
    await probe.close();
  });

  test('when the sidecar is killed the page says so, and recovers when it is back', async () => {
    await sidecar.stop('SIGKILL');
    await page.waitForSelector('#sidecar-state[data-up="false"]', { timeout: 10_000 });
    expect(Object.values(await shownVerdicts(page))).toEqual(expect.arrayContaining(['unknown']));
    await screenshot(page, 'live-page-sidecar-down');
    sidecar = pod.start('sidecar', { LIFECYCLE_FILE: record });
    await sidecar.waitForEvent('ready');
    await page.waitForSelector('#sidecar-state[data-up="true"]', { timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  test("the page draws the Pod's life from its record: the sidecar's kill and restart; a record swapped is drawn swapped", async () => {
    // The page loads the picture again once the record has grown (the restart's lines).
    const bytes = stateOf(await httpIn(pod, 'GET', `${APP_URL}/api/state`)).lifecycleBytes;
    await page.waitForSelector(`#lifecycle[data-bytes="${bytes}"]`, { timeout: 10_000 });
    await page.waitForFunction(() => (document.getElementById('lifecycle') as HTMLImageElement).naturalWidth > 0);
    const drawn = async () => {
      const tab = await browser.newPage();
      await tab.goto(`${APP_URL}/lifecycle.svg`);
      const seen = await tab.evaluate(() => {
        const left = (container: string) =>
          document.querySelector(`[data-container="${container}"][data-event="starting"]`)!.getBoundingClientRect().left;
        return {
          sidecarRuns: document.querySelectorAll('[data-container="sidecar"][data-event="starting"]').length,
          sidecarKilled: document.querySelectorAll('[data-container="sidecar"][data-event="killed"]').length,
          sidecarFirst: left('sidecar') < left('app'),
        };
      });
      await tab.close();
      return seen;
    };
    expect(await drawn()).toEqual({ sidecarRuns: 2, sidecarKilled: 1, sidecarFirst: true });
    // The same record with the containers' names swapped: the app is then the one that started first, and was killed.
    const original = readFileSync(record, 'utf8');
    writeFileSync(
      record,
      original.replace(/"container":"(app|sidecar)"/g, (_, name: string) => `"container":"${name === 'app' ? 'sidecar' : 'app'}"`),
    );
    try {
      expect(await drawn()).toEqual({ sidecarRuns: 1, sidecarKilled: 0, sidecarFirst: false });
    } finally {
      writeFileSync(record, original);
    }
    await screenshot(page, 'live-page-lifecycle');
    expect(errors).toEqual([]);
  });

  test('SIGTERM with the page open: the app ends its event stream and stops cleanly (exit 0), the page says it is gone', async () => {
    const exited = await app.stop('SIGTERM');
    expect(exited).toMatchObject({ exitCode: 0, signal: null });
    await page.waitForSelector('#connection[data-state="lost"]', { timeout: 10_000 });
    // What the page asked of the app as it went (its stream, the picture of its record's last lines) may be refused.
    expect(errors.filter((error) => !/api\/events|lifecycle\.svg/.test(error))).toEqual([]);
  });
});
