// A real browser for the page tests: Debian's chromium driven by
// playwright-core (no browser download). For a Pod in a box it runs inside
// the box's network namespace, so 127.0.0.1:8080 is the app's, as it is for
// `kubectl port-forward` on a cluster.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { namespaceBlocker, type PodBox } from './pod-box.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(PROJECT_ROOT, 'artifacts', 'browser');

export function chromiumBlocker(): string | null {
  return existsSync(CHROMIUM) ? null : `no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
}

/** For a browser inside a Pod box. */
export function browserBlocker(): string | null {
  return chromiumBlocker() ?? namespaceBlocker();
}

/** Chromium with its network namespace that of `box` (nsenter keeps playwright's pipe to it). */
export async function browserIn(box: PodBox): Promise<Browser> {
  const wrapper = join(mkdtempSync(join(tmpdir(), 'podmates-chromium-')), 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec nsenter -t ${box.pid} -n -- ${CHROMIUM} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return chromium.launch({ executablePath: wrapper });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM });
}

/** Everything the page complained about: console errors (CSP refusals among them) and uncaught exceptions. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url || 'no url'})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
