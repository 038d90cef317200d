// The app's public API. Every refusal has its own status code and JSON error;
// a 202 means the message is in the journal and in the request queue: it will
// be processed, whatever happens to either container while the Pod lives. A
// refusal means the message was not recorded and can never reach the sidecar.
import { createHash } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { encodeRequest, isMessageId } from '../shared/envelope.js';
import { failpoint } from '../shared/failpoint.js';
import type { Logger } from '../shared/log.js';
import type { MessageQueue } from '../shared/message-queue.js';
import { addHealthAndMetrics } from '../shared/observability.js';
import type { MessageState } from '../shared/pod-view.js';
import type { Delivery } from './delivery.js';
import type { Journal } from './journal.js';
import type { Ledger, Message } from './ledger.js';
import { guardHosts, securityHeaders } from './http-guards.js';
import { addLivePage } from './live-page.js';
import type { AppMetrics } from './metrics.js';
import { POD } from './pod-state.js';
import type { RecentRoundTrips } from './recent-round-trips.js';
import type { StateFeed } from './state-feed.js';
import { SidecarUnreachable, type SidecarClient } from './sidecar-client.js';

export interface AppDeps {
  requests: MessageQueue;
  replies: MessageQueue;
  sidecar: SidecarClient;
  /** The sidecar for /readyz alone, with a connection of its own: no client's requests can queue ahead of a probe. */
  sidecarHealth: SidecarClient;
  ledger: Ledger;
  journal: Journal;
  delivery: Delivery;
  metrics: AppMetrics;
  /** The last round trips, for the live page. */
  roundTrips: RecentRoundTrips;
  log: Logger;
  /** performance.now() of the last POST /messages: at SIGTERM it shows when the Service stopped sending here. */
  activity: { lastPostAt: number };
  maxInFlight: number;
  /** Names the app answers to besides IP literals and localhost. */
  allowedHosts: string[];
  /** False from SIGTERM on: new messages are refused, readiness fails, in-flight ones are finished. */
  accepting: () => boolean;
  /** The Pod's lifecycle record (LIFECYCLE_FILE), which the live page draws; null outside a Pod that has one. */
  lifecycleFile: string | null;
}

type Reason =
  | 'unsupported_media_type'
  | 'malformed_json'
  | 'invalid_body'
  | 'too_large'
  | 'queue_full'
  | 'too_many_in_flight'
  | 'shutting_down'
  | 'journal_unavailable'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused';

export type { MessageState };

function state(message: Message): MessageState {
  if (message.result) return 'processed';
  if (message.failed) return 'failed';
  return message.stage === 'taken' ? 'taken' : 'queued';
}

/** GET /messages/:id of a message this Pod knows. */
export interface MessageView {
  id: string;
  pod: string;
  state: MessageState;
  sentAt: string;
  processedAt: string | null;
  result: { sha256: string; words: number } | null;
  /** Why it was quarantined. */
  failed: string | null;
  replies: number;
  deliveries: number;
  lostTakes: number;
  roundTripMs: number | null;
  /** The sidecar's own status, over 127.0.0.1; null when it has none or does not answer. */
  sidecar: unknown;
  sidecarError?: string | null;
}

/** Printable ASCII, as the IETF Idempotency-Key draft's examples; long enough for a UUID with a prefix. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** What a client is told when the sidecar does not answer: the detail (its address, the errno) is in the log. */
const SIDECAR_DOWN = 'the sidecar does not answer on the loopback interface';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Largest raw body read at all; the real limit is the queue's message size, checked on the envelope. */
const BODY_LIMIT = '64kb';

export function createAppServer(deps: AppDeps, feed: StateFeed): Express {
  const { requests, replies, sidecar, ledger, journal, delivery, metrics, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  // First, so that every answer has the headers and none goes to a name or an origin it should not.
  app.use(securityHeaders, guardHosts(deps.allowedHosts));
  // From SIGTERM on, every answer closes its connection: a client on a
  // keep-alive connection would otherwise go on sending here (a Service
  // balances connections, not requests), and get 503 after 503 for as long as
  // the drain lasts; on a new connection its retry reaches another Pod.
  app.use((_req, res, next) => {
    if (!deps.accepting()) res.set('Connection', 'close');
    next();
  });

  const refuse = (res: Response, status: number, reason: Reason, error: string) => {
    metrics.rejected.inc({ reason });
    res.status(status).json({ error, reason });
  };

  const busy = (res: Response, reason: Reason, error: string) => {
    res.set('Retry-After', '1');
    refuse(res, 503, reason, error);
  };

  /** The sidecar's answer; when it does not answer, the detail is logged and a 502 says so without internal addresses. */
  const sidecarGet = async (res: Response, answer: boolean, path: string) => {
    try {
      return await sidecar.get(path);
    } catch (error) {
      if (!(error instanceof SidecarUnreachable)) throw error;
      log.warn('sidecar_unreachable', { requestId: res.locals.requestId as string, message: error.message });
      if (answer) res.status(502).json({ error: SIDECAR_DOWN, requestId: res.locals.requestId as string });
      return { status: 0, body: null, error: SIDECAR_DOWN };
    }
  };

  addHealthAndMetrics(app, metrics.registry, log, 'app');

  app.get('/readyz', async (_req, res) => {
    if (!deps.accepting()) {
      // `draining` tells the sidecar, which watches this over loopback, that the Pod is stopping.
      res.status(503).json({ ready: false, draining: true, reason: `shutting down: ${ledger.inFlight} messages in flight` });
      return;
    }
    if (!requests.isOpen || !replies.isOpen) {
      res.status(503).json({ ready: false, reason: 'message queues are closed' });
      return;
    }
    if (!journal.healthy) {
      res.status(503).json({ ready: false, reason: `the journal cannot be written: ${journal.error}` });
      return;
    }
    try {
      const health = await deps.sidecarHealth.get('/healthz');
      if (health.status !== 200) throw new SidecarUnreachable(`sidecar /healthz answered ${health.status}`);
      res.json({ ready: true });
    } catch (error) {
      res.status(503).json({ ready: false, reason: (error as Error).message });
    }
  });

  app.post(
    '/messages',
    (req, res, next) => {
      deps.activity.lastPostAt = performance.now();
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
      const key = req.get('Idempotency-Key') ?? null;
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
        refuse(res, 400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
        return;
      }
      const first = key === null ? undefined : ledger.byKey(key);
      if (first) {
        // The same key again (a client that lost its 202): the first message, never a second one.
        const firstText = first.text === null ? first.result?.sha256 : sha256(first.text);
        if (firstText !== undefined && firstText !== sha256(text)) {
          refuse(res, 422, 'idempotency_key_reused', `Idempotency-Key ${key} was used for message ${first.id} with another text`);
          return;
        }
        metrics.repeatedPosts.inc();
        res.status(200).json({ id: first.id, pod: POD, state: state(first), repeated: true });
        return;
      }
      if (!deps.accepting()) {
        busy(res, 'shutting_down', 'this Pod is shutting down; retry (the Service sends it to another Pod)');
        return;
      }
      if (!journal.healthy) {
        busy(res, 'journal_unavailable', 'the journal cannot be written (full or failing disk); nothing was recorded, retry later');
        return;
      }
      if (ledger.inFlight >= deps.maxInFlight) {
        busy(res, 'too_many_in_flight', `${ledger.inFlight} accepted messages are still waiting for a reply; retry later`);
        return;
      }
      if (!delivery.hasRoom()) {
        busy(res, 'queue_full', `request queue ${requests.spec.name} is full (${requests.spec.maxMessages} messages); retry later`);
        return;
      }
      const id = ledger.ids.next();
      const sentAt = new Date().toISOString();
      const envelope = encodeRequest({ id, sentAt, text }, requests.writeBuffer);
      if (envelope.length > requests.spec.messageSize) {
        refuse(
          res,
          413,
          'too_large',
          `message would be ${envelope.length} bytes in the queue; its message size is ${requests.spec.messageSize}`,
        );
        return;
      }
      // Journaled before the push: a message the journal could not record is
      // refused and never reaches the sidecar ("not promised" means "not done").
      let message;
      try {
        message = ledger.accept(id, sentAt, text, key);
      } catch {
        // Logged and counted where the journal turned unhealthy (main.ts), which also starts its recovery.
        busy(res, 'journal_unavailable', 'the journal could not be written; nothing was recorded, retry later');
        return;
      }
      // The envelope measured above, still intact: the journal write does not touch the queue's buffer.
      delivery.send(message, envelope);
      failpoint('app-after-journal', log);
      metrics.accepted.inc();
      res.status(202).json({ id, pod: POD });
    },
  );

  app.get('/messages/:id', async (req, res) => {
    const { id } = req.params;
    if (!isMessageId(id)) {
      res.status(400).json({ error: 'id must be a UUID' });
      return;
    }
    const known = ledger.get(id);
    const issuedAt = known ? null : ledger.ids.issuedAt(id);
    if (issuedAt !== null && issuedAt <= ledger.forgottenUpTo) {
      res.status(410).json({
        error: `message ${id} was accepted by this Pod and has been forgotten: the app remembers its last ${ledger.capacity} messages`,
        retention: ledger.capacity,
      });
      return;
    }
    // The sidecar's view, over 127.0.0.1; the app's own record (the journal) is the answer.
    const reply = await sidecarGet(res, !known, `/status/${id}`);
    if (!known) {
      if (reply.status === 0) return;
      if (reply.status === 200) res.json({ id, state: 'processed', sentAt: null, processedAt: null, replies: null, sidecar: reply.body });
      else res.status(404).json({ error: `no message ${id}` });
      return;
    }
    const view: MessageView = {
      id,
      pod: POD,
      state: state(known),
      sentAt: known.sentAt,
      processedAt: known.result?.processedAt ?? null,
      result: known.result ? { sha256: known.result.sha256, words: known.result.words } : null,
      failed: known.failed,
      replies: known.replies,
      deliveries: known.deliveries,
      lostTakes: known.lostTakes,
      roundTripMs: known.roundTripMs,
      sidecar: reply.status === 200 ? reply.body : null,
      ...(reply.status === 0 ? { sidecarError: 'error' in reply ? reply.error : null } : {}),
    };
    res.json(view);
  });

  app.get('/pod', async (_req, res) => {
    const pod = (await feed.state()).namespaces;
    if (!pod.ok) {
      log.warn('sidecar_unreachable', { requestId: res.locals.requestId as string, message: pod.error });
      res.status(502).json({
        error: SIDECAR_DOWN,
        requestId: res.locals.requestId as string,
        ...(pod.sidecar === undefined ? {} : { sidecar: pod.sidecar }),
      });
      return;
    }
    res.json({ app: pod.app, sidecar: pod.sidecar, verdict: pod.verdict });
  });

  addLivePage(app, feed, deps.lifecycleFile);

  app.use((_req, res) => {
    res.status(404).json({ error: 'no such route' });
  });

  // Body-parser errors carry `type` and `status`; anything else is our bug: 500,
  // logged with the request id, answered without the detail, and keep serving.
  app.use(
    (error: { type?: string; status?: number; message?: string; stack?: string }, req: Request, res: Response, _next: NextFunction) => {
      if (error.type === 'entity.parse.failed') return refuse(res, 400, 'malformed_json', 'body is not valid JSON');
      if (error.type === 'entity.too.large') return refuse(res, 413, 'too_large', `body exceeds ${BODY_LIMIT}`);
      const requestId = res.locals.requestId as string;
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      log.error('request_failed', { requestId, method: req.method, path: req.path, status, message: error.message, stack: error.stack });
      res.status(status).json({ error: status === 500 ? 'internal error' : 'bad request', requestId });
    },
  );

  return app;
}
