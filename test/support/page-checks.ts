// What the live page shows, read from its DOM, and the check that it matches
// what the app answers on GET /pod: a page that draws the wrong verdict fails.
import type { Page } from 'playwright-core';

/** Each namespace row's verdict as drawn: { net: 'shared', pid: 'separate', ... }. */
export async function shownVerdicts(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#namespaces [data-kind]', (rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-kind') ?? '', row.getAttribute('data-verdict') ?? ''] as const)),
  );
}

export function judgeShownVerdicts(shown: Record<string, string>, measured: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [kind, verdict] of Object.entries(measured)) {
    if (shown[kind] === undefined) problems.push(`the page draws no ${kind} namespace; GET /pod says ${verdict}`);
    else if (shown[kind] !== verdict) problems.push(`the page shows the ${kind} namespace as ${shown[kind]}; GET /pod says ${verdict}`);
  }
  for (const kind of Object.keys(shown))
    if (!(kind in measured)) problems.push(`the page draws a ${kind} namespace that GET /pod does not report`);
  return problems;
}
