// The live page: GET / draws the Pod in the browser from GET /api/state, kept
// fresh by Server-Sent Events on GET /api/events (one state a second, only
// while a page is open: an idle Pod stays idle). Everything it loads comes
// from this server, which the Content-Security-Policy (http-guards.ts, on
// every answer) enforces: no inline script, no inline style, nothing from
// elsewhere, no framing.
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { PodState } from './pod-state.js';

// The page's static files stay where they are written (apps/app/page/, copied
// beside dist/ in the image); its script is compiled with the services.
const STATIC = fileURLToPath(new URL('../../../apps/app/page/', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./page/page.js', import.meta.url));
const FILES: Record<string, string> = { '/': `${STATIC}index.html`, '/page.css': `${STATIC}page.css`, '/favicon.svg': `${STATIC}favicon.svg`, '/page.js': SCRIPT };

// Where the tests and step 5t have always found it.
export { PAGE_POLICY } from './http-guards.js';

const EVENT_EVERY_MS = 1000;

export function addLivePage(app: Express, readState: () => Promise<PodState>): void {
  for (const [path, file] of Object.entries(FILES)) {
    app.get(path, (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(file));
  }

  app.get('/api/state', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await readState());
  });

  app.get('/api/events', (req, res) => {
    // Connection: close, so that the socket goes with the stream: an idle
    // keep-alive socket left behind would hold a stopping server for seconds.
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'close' });
    let timer: NodeJS.Timeout | undefined;
    let open = true;
    const stop = () => {
      open = false;
      clearInterval(timer);
    };
    const end = () => {
      stop();
      res.end();
    };
    const send = async () => {
      const state = await readState();
      if (!open) return;
      res.write(`data: ${JSON.stringify(state)}\n\n`);
      // A stopping app ends the stream: an open one would hold up the server's close.
      if (!state.accepting) end();
    };
    req.on('close', stop);
    timer = setInterval(() => void send().catch(end), EVENT_EVERY_MS);
    void send().catch(end);
  });
}
