// The live page's script (compiled to dist/apps/app/page/page.js, served as
// /page.js). It draws what GET /api/state says and nothing else, with DOM
// calls and textContent only: no markup is built from strings, so nothing the
// server or a message says can become code. URLs are relative, so the page
// also works behind a path prefix (kubectl proxy).
import type { MessageState, PodState } from '../../shared/pod-view.js';

const SVG = 'http://www.w3.org/2000/svg';
type Stage = 'app' | 'requests' | 'sidecar' | 'replies';
type Sharing = 'shared' | 'separate' | 'unknown';

function byId<T extends Element = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as unknown as T;
}

function svg(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function drawNamespaces(state: PodState): void {
  const group = byId<SVGGElement>('namespaces');
  const ns = state.namespaces;
  // The app's own namespaces are always known: with the sidecar down, its rows stay, marked unknown.
  const kinds = Object.keys(ns.app.namespaces);
  group.replaceChildren(
    ...kinds.map((kind, i) => {
      const row = svg('g', { transform: `translate(0 ${i * 28})`, 'data-kind': kind });
      const verdict: Sharing = ns.ok ? ((ns.verdict as Record<string, 'shared' | 'separate'>)[kind] ?? 'unknown') : 'unknown';
      row.setAttribute('data-verdict', verdict);
      if (!ns.ok) {
        row.append(
          svg('rect', { class: 'unknown', x: 20, width: 720, height: 22, rx: 4 }),
          svg('text', { class: 'bar-text', x: 30, y: 16 }, `${kind}: unknown, the sidecar does not answer`),
        );
      } else {
        const app = (ns.app.namespaces as Record<string, string>)[kind];
        const sidecar = (ns.sidecar.namespaces as Record<string, string>)[kind] ?? '?';
        if (verdict === 'shared') {
          row.append(
            svg('rect', { class: 'shared', x: 20, width: 720, height: 22, rx: 4 }),
            svg('text', { class: 'bar-text', x: 30, y: 16 }, `${kind}: shared, ${app}`),
          );
        } else {
          row.append(
            svg('rect', { class: 'separate', x: 20, width: 350, height: 22, rx: 4 }),
            svg('text', { class: 'bar-text', x: 30, y: 16 }, `${kind}: ${app}`),
            svg('rect', { class: 'separate', x: 390, width: 350, height: 22, rx: 4 }),
            svg('text', { class: 'bar-text', x: 400, y: 16 }, `${kind}: ${sidecar}`),
          );
        }
      }
      return row;
    }),
  );
}

function drawQueue(which: 'requests' | 'replies', queue: PodState['queues']['requests']): void {
  byId(`${which}-name`).textContent = queue.name;
  byId(`${which}-depth`).textContent = queue.depth === null ? 'unknown' : `${queue.depth}/${queue.capacity} waiting`;
  byId(`${which}-fill`).setAttribute('width', String(queue.depth === null ? 0 : (320 * queue.depth) / Math.max(queue.capacity, 1)));
}

function drawCounters(state: PodState): void {
  const { counters } = state;
  const rejected = Object.entries(counters.rejected).map(([reason, n]) => `${reason} ${n}`);
  const rows: Array<[string, string]> = [
    ['accepted', String(counters.accepted)],
    ['processed', String(counters.processed)],
    ['in flight', String(counters.inFlight)],
    ['redelivered', String(counters.redelivered)],
    ['quarantined', String(counters.failed)],
    ['late replies', String(counters.lateReplies)],
    ['rejected', rejected.length > 0 ? rejected.join(', ') : '0'],
  ];
  byId('counters').replaceChildren(
    ...rows.flatMap(([name, value]) => {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = value;
      detail.dataset.counter = name;
      return [term, detail];
    }),
  );
}

/** The journal's health and the quarantined messages: what needs a person's look. */
function drawTrouble(state: PodState): void {
  const { journal, quarantined } = state;
  const health = byId('journal-state');
  health.dataset.healthy = String(journal.healthy);
  health.textContent = journal.healthy
    ? `journal writable, ${journal.bytes} bytes`
    : `journal NOT writable: new messages are refused (${journal.error ?? 'unknown error'})`;
  if (journal.corruptRecords > 0)
    health.textContent += `; ${journal.corruptRecords} unreadable lines at replay (first at byte ${journal.firstCorrupt[0]?.offset ?? '?'})`;
  byId('quarantined').replaceChildren(
    ...quarantined.map(({ id, reason }) => {
      const item = document.createElement('li');
      item.textContent = `${id}: ${reason}`;
      return item;
    }),
  );
  byId('quarantine-empty').hidden = quarantined.length > 0;
}

function drawLatency(state: PodState): void {
  const trips = state.roundTrips;
  const chart = byId<SVGSVGElement>('latency');
  const max = Math.max(...trips.map((trip) => trip.ms), 0.001);
  const bars = trips.map((trip, i) => {
    const height = Math.max(1, (trip.ms / max) * 110);
    return svg('rect', { class: 'bar', x: 62 + i * 6.9, y: 120 - height, width: 5.5, height });
  });
  chart.replaceChildren(
    svg('line', { class: 'axis', x1: 60, y1: 120, x2: 760, y2: 120 }),
    svg('text', { x: 0, y: 12 }, `${max.toFixed(2)} ms`),
    svg('text', { x: 0, y: 124 }, '0'),
    ...bars,
  );
  const sorted = trips.map((trip) => trip.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  byId('latency-summary').textContent =
    median === undefined
      ? 'no round trip yet: send a message'
      : `${trips.length} round trips: median ${median.toFixed(2)} ms, slowest ${max.toFixed(2)} ms`;
}

/** The record's picture, loaded again when the record grew (the size in the URL makes it a new image). */
function drawLifecycle(state: PodState): void {
  const picture = byId<HTMLImageElement>('lifecycle');
  picture.hidden = state.lifecycleBytes === null;
  byId('lifecycle-none').hidden = state.lifecycleBytes !== null;
  if (state.lifecycleBytes === null || picture.dataset.bytes === String(state.lifecycleBytes)) return;
  picture.dataset.bytes = String(state.lifecycleBytes);
  picture.src = `lifecycle.svg?bytes=${state.lifecycleBytes}`;
}

function render(state: PodState): void {
  byId('pod-name').textContent = state.pod;
  // The sidecar answers when it gave its namespaces over 127.0.0.1.
  const sidecar = byId('sidecar-state');
  const ns = state.namespaces;
  sidecar.dataset.up = String(ns.ok);
  sidecar.textContent = ns.ok ? 'answering on loopback' : 'NOT answering';
  sidecar.append(svg('title', {}, ns.ok ? 'GET /ns over 127.0.0.1 answered' : ns.error));
  drawNamespaces(state);
  drawQueue('requests', state.queues.requests);
  drawQueue('replies', state.queues.replies);
  drawCounters(state);
  drawTrouble(state);
  drawLatency(state);
  drawLifecycle(state);
  const connection = byId('connection');
  connection.dataset.state = 'live';
  connection.textContent = state.accepting
    ? `live, ${new Date(state.at).toLocaleTimeString()}`
    : 'the app is stopping: it accepts no new messages';
}

function connect(): void {
  const events = new EventSource('api/events');
  events.onmessage = (event: MessageEvent<string>) => render(JSON.parse(event.data) as PodState);
  events.onerror = () => {
    const connection = byId('connection');
    connection.dataset.state = 'lost';
    connection.textContent = 'the app does not answer: retrying…';
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function light(stage: Stage | null): void {
  for (const name of ['app', 'requests', 'sidecar', 'replies'] as const) byId(`stage-${name}`).classList.toggle('active', name === stage);
}

function say(state: string, text: string): void {
  const result = byId('send-result');
  result.dataset.state = state;
  result.textContent = text;
}

interface MessageStatus {
  state: MessageState;
  roundTripMs: number | null;
  deliveries: number;
  result: { sha256: string; words: number } | null;
}

/** Sends one message and follows it: the stages it passed light up in order once it is back. */
async function send(text: string): Promise<void> {
  light('app');
  say('sending', 'sending…');
  const response = await fetch('messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const answer = (await response.json()) as { id?: string; error?: string; reason?: string };
  if (response.status !== 202 || !answer.id) {
    light(null);
    say('failed', `refused, ${response.status} ${answer.reason ?? ''}: ${answer.error ?? ''}`);
    return;
  }
  light('requests');
  say('queued', `accepted (202), id ${answer.id}: in the request queue`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = (await (await fetch(`messages/${answer.id}`)).json()) as MessageStatus;
    if (status.state === 'processed') {
      // The sidecar read it and replied within one poll: replay the stages it went through.
      for (const stage of ['sidecar', 'replies', 'app'] as const) {
        light(stage);
        await sleep(350);
      }
      light(null);
      say(
        'processed',
        `processed: ${status.result?.words ?? '?'} words, sha256 ${status.result?.sha256.slice(0, 16) ?? '?'}…, round trip ${status.roundTripMs?.toFixed(2) ?? '?'} ms, ${status.deliveries} delivery`,
      );
      return;
    }
    if (status.state === 'failed' || Date.now() > deadline) {
      light(null);
      say(
        'failed',
        status.state === 'failed'
          ? 'quarantined: every sidecar that took it died before answering'
          : `no reply after 30 s (${status.state}): it stays in the journal until the sidecar answers`,
      );
      return;
    }
    await sleep(100);
  }
}

byId<HTMLFormElement>('send').addEventListener('submit', (event) => {
  event.preventDefault();
  void send(byId<HTMLInputElement>('text').value).catch((error: unknown) => {
    light(null);
    say('failed', `could not reach the app: ${String(error)}`);
  });
});
connect();
