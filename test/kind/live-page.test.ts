// The live page on a real kind cluster, in a real browser, through
// `kubectl port-forward`: what a user gets from `npm run demo -- --open`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { kindKube } from '../../scripts/lib/kind.js';
import { NAME_LABEL } from '../../scripts/lib/manifests.js';
import { chromiumBlocker, collectErrors, launchBrowser, screenshot } from '../support/browser.js';
import { describeIf } from '../support/describe-pod.js';
import { deleteCluster, demoOn, kindBlocker } from '../support/kind-demo.js';
import { judgeShownVerdicts, shownVerdicts } from '../support/page-checks.js';

const CLUSTER = 'podmates-page';

describeIf('the live page on kind, through kubectl port-forward, in a real browser', kindBlocker ?? chromiumBlocker(), () => {
  let forward: { localPort: number; close(): void } | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];
  let url: string;

  beforeAll(async () => {
    // Step 5t checks the page over HTTP; --keep leaves the Pod for the browser.
    const { exitCode, steps } = await demoOn(CLUSTER, ['--only', 't']);
    expect({ exitCode, steps: steps.map((step) => [step.name.slice(0, 2), step.status, step.problems]) }).toMatchObject({ exitCode: 0 });
    const kube = kindKube(CLUSTER);
    forward = await kube.portForward((await kube.podByLabel(`${NAME_LABEL}=podmates`)).name, 8080);
    url = `http://127.0.0.1:${forward.localPort}`;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 860, height: 900 } });
    errors = collectErrors(page);
  }, 600_000);
  afterAll(async () => {
    forward?.close();
    await browser?.close();
    await deleteCluster(CLUSTER);
  });

  test("the page draws the real Pod's verdicts: net, ipc, uts shared, pid and mnt apart", async () => {
    await page.goto(`${url}/`);
    await page.waitForSelector('#connection[data-state="live"]');
    const measured = (await (await fetch(`${url}/pod`)).json()) as { verdict: Record<string, string> };
    expect(measured.verdict).toMatchObject({ net: 'shared', ipc: 'shared', uts: 'shared', pid: 'separate', mnt: 'separate' });
    expect(judgeShownVerdicts(await shownVerdicts(page), measured.verdict)).toEqual([]);
  });

  test('a message sent with the form comes back processed; the page logs no error', async () => {
    // Forty round trips for the chart, sent as a polite client does: a 503 (the queue full) is retried.
    for (let i = 0; i < 40; i++) {
      const post = () =>
        fetch(`${url}/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: `message ${i}` }),
        });
      let response = await post();
      for (let tries = 0; response.status === 503 && tries < 50; tries++) {
        await sleep(100);
        response = await post();
      }
      expect(response.status).toBe(202);
    }
    await page.fill('#text', 'two containers, one Pod');
    await page.click('#send button');
    await page.waitForSelector('#send-result[data-state="processed"]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#latency .bar').length >= 41);
    await screenshot(page, 'live-page-kind');
    expect(errors).toEqual([]);
  });
});
