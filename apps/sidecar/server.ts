// The sidecar's loopback API: what the app asks it over 127.0.0.1.
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { isMessageId } from '../shared/envelope.js';
import type { Logger } from '../shared/log.js';
import { readNamespaces } from '../shared/namespaces.js';
import { addHealthAndMetrics } from '../shared/observability.js';
import type { Worker } from './worker.js';

/** The most ids the app asks about at once: its MAX_IN_FLIGHT can be at most this. */
export const HELD_MAX_IDS = 10_000;

export function createSidecarServer(worker: Worker, inHand: ReadonlySet<string>, registry: Registry, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');

  addHealthAndMetrics(app, registry, log, 'sidecar');

  app.get('/ns', async (_req, res) => {
    res.json({ pid: process.pid, namespaces: await readNamespaces() });
  });

  // The app's question about copies that left the request queue without a
  // reply yet: which of them does this sidecar hold (taken, reply not pushed
  // yet), and which has it answered (the reply was pushed: if the app has not
  // read it, an app that died did)? A copy in neither list was taken by a
  // sidecar that died.
  app.post('/held', express.json({ limit: '1mb' }), (req, res) => {
    const ids = (req.body as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids) || ids.length > HELD_MAX_IDS || !ids.every(isMessageId)) {
      res.status(400).json({ error: `body must be {"ids": [...]}, at most ${HELD_MAX_IDS} UUIDs` });
      return;
    }
    res.json({
      pid: process.pid,
      held: ids.filter((id) => inHand.has(id)),
      answered: ids.filter((id) => !inHand.has(id) && worker.statuses.has(id)),
    });
  });

  app.get('/status/:id', (req, res) => {
    const { id } = req.params;
    if (!isMessageId(id)) {
      res.status(400).json({ error: 'id must be a UUID' });
      return;
    }
    const status = worker.statuses.get(id);
    if (!status) {
      res.status(404).json({ error: `no message ${id} has been processed (or it was evicted from the last ${worker.statuses.capacity})` });
      return;
    }
    res.json(status);
  });

  return app;
}
