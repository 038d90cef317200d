// 5t's judge: the live page, as this machine reaches it, shows what GET /pod measures.
export interface LivePageSeen {
  page: { status: number; type: string; policy: string | null };
  script: { status: number; type: string };
  expectedPolicy: string;
  /** GET /api/state's verdicts and sidecar, and GET /pod's verdict. */
  state: { verdict: unknown; sidecarUp: unknown };
  pod: { verdict: unknown };
  /** The first Server-Sent Event, or why none came. */
  event: { ok: true } | { ok: false; error: string };
  /** The message sent as the page's form does: its state, and whether its round trip is in the state the page draws. */
  sent: { state: string; charted: boolean };
}

/**
 * The app's live page, reached from this machine: served with the strict
 * policy, its script loads, what it draws (GET /api/state) is what GET /pod
 * measures, its event stream flows, and a message sent as its form does comes
 * back processed and charted.
 */
export function judgeLivePage(seen: LivePageSeen): string[] {
  const problems: string[] = [];
  if (seen.page.status !== 200 || !seen.page.type.startsWith('text/html'))
    problems.push(`GET / answered ${seen.page.status} ${seen.page.type}, not 200 text/html`);
  if (seen.page.policy !== seen.expectedPolicy)
    problems.push(
      `GET / came with Content-Security-Policy ${JSON.stringify(seen.page.policy)}, not ${JSON.stringify(seen.expectedPolicy)}`,
    );
  if (seen.script.status !== 200 || !seen.script.type.includes('javascript'))
    problems.push(`GET /page.js answered ${seen.script.status} ${seen.script.type}, not 200 JavaScript`);
  if (JSON.stringify(seen.state.verdict) !== JSON.stringify(seen.pod.verdict))
    problems.push(`the page would draw ${JSON.stringify(seen.state.verdict)}; GET /pod says ${JSON.stringify(seen.pod.verdict)}`);
  if (seen.state.sidecarUp !== true) problems.push('the page would say the sidecar does not answer');
  if (!seen.event.ok) problems.push(`no Server-Sent Event from GET /api/events: ${seen.event.error}`);
  if (seen.sent.state !== 'processed') problems.push(`a message sent as the page's form does ended ${seen.sent.state}, not processed`);
  else if (!seen.sent.charted) problems.push("a processed message's round trip is not in the chart's data (GET /api/state roundTrips)");
  return problems;
}
