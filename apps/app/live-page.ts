// The live page: GET / draws the Pod in the browser from GET /api/state, kept
// fresh by Server-Sent Events on GET /api/events (one state a second, only
// while a page is open: an idle Pod stays idle). Everything it loads comes
// from this server, which the Content-Security-Policy (http-guards.ts, on
// every answer) enforces: no inline script, no inline style, nothing from
// elsewhere, no framing.
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { readLifecycle } from '../shared/lifecycle.js';
import { lifecyclePicture } from '../shared/lifecycle-picture.js';
import { POD } from './pod-state.js';
import { MAX_EVENT_STREAMS, type StateFeed } from './state-feed.js';

// The page's static files stay where they are written (apps/app/page/, copied
// beside dist/ in the image); its script is compiled with the services.
const STATIC = fileURLToPath(new URL('../../../apps/app/page/', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./page/page.js', import.meta.url));
const FILES: Record<string, string> = {
  '/': `${STATIC}index.html`,
  '/page.css': `${STATIC}page.css`,
  '/favicon.svg': `${STATIC}favicon.svg`,
  '/page.js': SCRIPT,
};

// Where the tests and step 5t have always found it.
export { PAGE_POLICY } from './http-guards.js';

/** `lifecycleFile`: the Pod's lifecycle record (LIFECYCLE_FILE), drawn at GET /lifecycle.svg; null when it has none. */
export function addLivePage(app: Express, feed: StateFeed, lifecycleFile: string | null): void {
  for (const [path, file] of Object.entries(FILES)) {
    app.get(path, (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(file));
  }

  // The Pod's life so far, drawn here from the record on its shared volume
  // (the page shows it as an image, which runs nothing).
  app.get('/lifecycle.svg', (_req, res) => {
    if (lifecycleFile === null) {
      res.status(404).json({ error: 'this Pod has no lifecycle record (LIFECYCLE_FILE is not set)', reason: 'no_lifecycle_record' });
      return;
    }
    const svg = lifecyclePicture(readLifecycle(lifecycleFile), `Pod ${POD}, its life so far`, new Date().toISOString());
    res.set('Cache-Control', 'no-store').type('image/svg+xml').send(svg);
  });

  app.get('/api/state', async (_req, res) => {
    res
      .set('Cache-Control', 'no-store')
      .type('json')
      .send(await feed.json());
  });

  app.get('/api/events', (_req, res) => {
    if (feed.closed) {
      res.set('Connection', 'close');
      res.status(503).json({ error: 'the app is stopping', reason: 'shutting_down' });
      return;
    }
    if (feed.open >= MAX_EVENT_STREAMS) {
      res.set({ 'Retry-After': '5', Connection: 'close' });
      res.status(503).json({ error: `${MAX_EVENT_STREAMS} event streams are open already; retry later`, reason: 'too_many_streams' });
      return;
    }
    // Connection: close, so that the socket goes with the stream: an idle
    // keep-alive socket left behind would hold a stopping server for seconds.
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'close' });
    feed.subscribe(res);
  });
}
