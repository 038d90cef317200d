// The app's live page, from this machine: kubectl port-forward on
// Kubernetes (the published port under compose) reaches the app's 8080. The
// page comes with its strict Content-Security-Policy, draws what GET /pod
// measures, gets its updates as Server-Sent Events, and a message sent the
// way its form sends one comes back processed. (In a real browser:
// test/browser/.)
import { setTimeout as sleep } from 'node:timers/promises';
import { PAGE_POLICY } from '../../../../apps/app/live-page.js';
import { STATE_LIFE_MS } from '../../../../apps/app/state-feed.js';
import { judgeLivePage, type LivePageSeen } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { messageIdOf, untilSettled } from '../../../lib/message-answers.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

const TIMEOUT_MS = 10_000;

async function get(url: string): Promise<{ status: number; type: string; policy: string | null; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    policy: response.headers.get('content-security-policy'),
    body: await response.text(),
  };
}

/** Reads GET /api/events until its first event, as the page's EventSource does. */
async function firstEvent(url: string): Promise<LivePageSeen['event']> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5000);
  try {
    const response = await fetch(`${url}/api/events`, { signal: abort.signal });
    // Decoded as a stream: a character split between two chunks comes out whole.
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) return { ok: false, error: 'the stream ended before an event' };
      text += value;
    }
    return text.startsWith('data: {') ? { ok: true } : { ok: false, error: `the first event is not data: ${text.slice(0, 60)}` };
  } catch (error) {
    return { ok: false, error: abort.signal.aborted ? 'none within 5 s' : (error as Error).message };
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** POST /messages as the form does, then GET /messages/:id until it is no longer queued. */
async function sendAsTheForm(url: string): Promise<{ state: string; id: string | null }> {
  const posted = await fetch(`${url}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'sent as the live page does' }),
  });
  const id = messageIdOf(await posted.json());
  if (posted.status !== 202 || !id) return { state: `refused (${posted.status})`, id: null };
  const ask = async (asked: string) => {
    const { status, body } = await get(`${url}/messages/${asked}`);
    return { status, body: JSON.parse(body) as unknown };
  };
  return { state: (await untilSettled(ask, id, TIMEOUT_MS)).state, id };
}

export const step: Claim = {
  byHand,
  title: () => 'the live page: reached from this machine, with a strict Content-Security-Policy, it draws what GET /pod measures',
  run: async (context, progress) => {
    const target = await context.target(progress);
    progress("reaching the app's port 8080 from this machine");
    const app = await target.appFromHere();
    try {
      const [page, script, pod, event] = await Promise.all([
        get(`${app.url}/`),
        get(`${app.url}/page.js`),
        get(`${app.url}/pod`),
        firstEvent(app.url),
      ]);
      const sent = await sendAsTheForm(app.url);
      type State = { namespaces: { ok?: unknown; verdict?: unknown }; roundTrips: unknown[]; counters: { processed: number } };
      const charted = (candidate: State) => candidate.roundTrips.length > 0 && candidate.counters.processed > 0;
      // The app reads its state at most once a second (STATE_LIFE_MS): the message shows in the next one.
      let state = JSON.parse((await get(`${app.url}/api/state`)).body) as State;
      for (const until = Date.now() + 3 * STATE_LIFE_MS; !charted(state) && Date.now() < until;) {
        await sleep(250);
        state = JSON.parse((await get(`${app.url}/api/state`)).body) as State;
      }
      assertCheck(
        'live page',
        judgeLivePage({
          page,
          script,
          expectedPolicy: PAGE_POLICY,
          state: { verdict: state.namespaces.verdict, sidecarUp: state.namespaces.ok },
          pod: { verdict: (JSON.parse(pod.body) as { verdict?: unknown }).verdict },
          event,
          sent: { state: sent.state, charted: charted(state) },
        }),
      );
      return `${app.how}: GET / 200 with the strict policy, /api/events streaming, verdicts as GET /pod, a message processed; open ${app.url}/ to watch it`;
    } finally {
      app.close();
    }
  },
};
