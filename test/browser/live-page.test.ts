// The app's live page in a real browser (chromium, in the Pod's network
// namespace): what it draws is what the Pod measures, its form sends a message
// through the queues, it says when the sidecar is gone, and its policy refuses
// anything injected.
import { createHash } from 'node:crypto';
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

  beforeAll(async () => {
    pod = await PodBox.create('page');
    ({ sidecar, app } = await startPod(pod));
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
    sidecar = pod.start('sidecar');
    await sidecar.waitForEvent('ready');
    await page.waitForSelector('#sidecar-state[data-up="true"]', { timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  test('SIGTERM with the page open: the app ends its event stream and stops cleanly (exit 0), the page says it is gone', async () => {
    const exited = await app.stop('SIGTERM');
    expect(exited).toMatchObject({ exitCode: 0, signal: null });
    await page.waitForSelector('#connection[data-state="lost"]', { timeout: 10_000 });
    expect(errors.filter((error) => !/api\/events/.test(error))).toEqual([]);
  });
});
