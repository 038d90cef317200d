// The app's public API. Every refusal has its own status code and JSON error;
// a 202 means the message is in the request queue, and never that it was dropped.
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { encodeRequest, isMessageId } from '../shared/envelope.js';
import type { MessageQueue } from '../shared/message-queue.js';
import { compareNamespaces, isNamespaceIds, readNamespaces } from '../shared/namespaces.js';
import { addHealthAndMetrics } from '../shared/observability.js';
import type { AppMetrics } from './metrics.js';
import { SidecarUnreachable, type SidecarClient } from './sidecar-client.js';
import type { Tracker } from './tracker.js';

export interface AppDeps {
  requests: MessageQueue;
  replies: MessageQueue;
  sidecar: SidecarClient;
  tracker: Tracker;
  metrics: AppMetrics;
}

type Reason = 'unsupported_media_type' | 'malformed_json' | 'invalid_body' | 'too_large' | 'queue_full';

/** Largest raw body read at all; the real limit is the queue's message size, checked on the envelope. */
const BODY_LIMIT = '64kb';

export function createAppServer(deps: AppDeps): Express {
  const { requests, replies, sidecar, tracker, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');

  const refuse = (res: Response, status: number, reason: Reason, error: string) => {
    metrics.rejected.inc({ reason });
    res.status(status).json({ error, reason });
  };

  const sidecarGet = async (res: Response, path: string) => {
    try {
      return await sidecar.get(path);
    } catch (error) {
      if (!(error instanceof SidecarUnreachable)) throw error;
      res.status(502).json({ error: error.message });
      return null;
    }
  };

  addHealthAndMetrics(app, metrics.registry);

  app.get('/readyz', async (_req, res) => {
    if (!requests.isOpen || !replies.isOpen) {
      res.status(503).json({ ready: false, reason: 'message queues are closed' });
      return;
    }
    try {
      const health = await sidecar.get('/healthz');
      if (health.status !== 200) throw new SidecarUnreachable(`sidecar /healthz answered ${health.status}`);
      res.json({ ready: true });
    } catch (error) {
      res.status(503).json({ ready: false, reason: (error as Error).message });
    }
  });

  app.post(
    '/messages',
    (req, res, next) => {
      if (!req.is('application/json')) {
        refuse(res, 415, 'unsupported_media_type', 'Content-Type must be application/json');
        return;
      }
      next();
    },
    express.json({ limit: BODY_LIMIT, strict: true }),
    (req, res) => {
      const body: unknown = req.body;
      const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : null;
      const text = (body as { text?: unknown } | null)?.text;
      if (!fields || typeof text !== 'string' || fields.length !== 1) {
        refuse(res, 400, 'invalid_body', 'body must be a JSON object with exactly one field, "text", a string');
        return;
      }
      const id = randomUUID();
      const sentAt = new Date().toISOString();
      const envelope = encodeRequest({ id, sentAt, text });
      if (envelope.length > requests.spec.messageSize) {
        refuse(res, 413, 'too_large', `message would be ${envelope.length} bytes in the queue; its message size is ${requests.spec.messageSize}`);
        return;
      }
      const pushedAt = process.hrtime.bigint();
      if (!requests.tryPush(envelope)) {
        res.set('Retry-After', '1');
        refuse(res, 503, 'queue_full', `request queue ${requests.spec.name} is full (${requests.spec.maxMessages} messages); retry later`);
        return;
      }
      // Tracked after the push: replies are read in a later event-loop turn, never before this line.
      tracker.accept(id, sentAt, pushedAt);
      metrics.accepted.inc();
      res.status(202).json({ id });
    },
  );

  app.get('/messages/:id', async (req, res) => {
    const { id } = req.params;
    if (!isMessageId(id)) {
      res.status(400).json({ error: 'id must be a UUID' });
      return;
    }
    const known = tracker.accepted.get(id);
    const reply = await sidecarGet(res, `/status/${id}`);
    if (!reply) return;
    if (reply.status !== 200 && reply.status !== 404) {
      res.status(502).json({ error: `sidecar answered ${reply.status} for /status/${id}`, sidecar: reply.body });
      return;
    }
    // Processed when its reply came back through the reply queue, or when the
    // sidecar remembers it (a sidecar restart forgets, the app's record does not).
    const sidecarKnows = reply.status === 200;
    if (!known && !sidecarKnows) {
      res.status(404).json({ error: `no message ${id}` });
      return;
    }
    res.json({
      id,
      state: sidecarKnows || (known?.replies ?? 0) > 0 ? 'processed' : 'queued',
      sentAt: known?.sentAt ?? null,
      processedAt: known?.processedAt ?? null,
      replies: known?.replies ?? null,
      roundTripMs: known?.roundTripMs ?? null,
      sidecar: sidecarKnows ? reply.body : null,
    });
  });

  app.get('/pod', async (_req, res) => {
    const own = { pid: process.pid, namespaces: await readNamespaces() };
    const reply = await sidecarGet(res, '/ns');
    if (!reply) return;
    const other = reply.body as { namespaces?: unknown } | null;
    if (reply.status !== 200 || !isNamespaceIds(other?.namespaces)) {
      res.status(502).json({ error: 'sidecar /ns did not return namespace ids', sidecar: reply.body });
      return;
    }
    res.json({ app: own, sidecar: reply.body, verdict: compareNamespaces(own.namespaces, other.namespaces) });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'no such route' });
  });

  // Body-parser errors carry `type` and `status`; anything else is our bug: 500, and keep serving.
  app.use((error: { type?: string; status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.parse.failed') return refuse(res, 400, 'malformed_json', 'body is not valid JSON');
    if (error.type === 'entity.too.large') return refuse(res, 413, 'too_large', `body exceeds ${BODY_LIMIT}`);
    res.status(error.status && error.status >= 400 && error.status < 500 ? error.status : 500).json({ error: error.message ?? 'internal error' });
  });

  return app;
}
