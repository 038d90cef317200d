// The app container: public API on APP_PORT, requests onto the request queue,
// replies from the reply queue, every accepted message in the journal until its
// reply came back, statuses and namespaces from the sidecar over 127.0.0.1.
import { decodeOrReport, decodeReply } from '../shared/envelope.js';
import { createLogger } from '../shared/log.js';
import { openPodQueues } from '../shared/message-queue.js';
import { closeServer, listen, onShutdown, waitFor } from '../shared/serve.js';
import { runService } from '../shared/start.js';
import { readAppConfig } from './config.js';
import { Delivery } from './delivery.js';
import { Journal, JournalError } from './journal.js';
import { Ledger } from './ledger.js';
import { readPodState } from './pod-state.js';
import { RecentRoundTrips } from './recent-round-trips.js';
import { createAppMetrics } from './metrics.js';
import { createAppServer } from './server.js';
import { SidecarClient } from './sidecar-client.js';
import { StateFeed } from './state-feed.js';

const log = createLogger('app');

/** How often an unhealthy journal is rewritten from memory, to become healthy again. */
const JOURNAL_RETRY_MS = 1000;
/** Open connections at most: well above a demo's or a Service's need, well below the file descriptor limit. */
const MAX_CONNECTIONS = 2048;
/** Corrupt journal lines logged one by one at start; the rest are counted. */
const CORRUPT_LOGGED = 20;

runService(log, async () => {
  const config = readAppConfig(process.env);
  const { requests, replies } = openPodQueues(config.queues);
  // Read only, for now: a second app in this Pod (a port clash) must not write to it.
  const { journal, replayed } = Journal.read(config.stateDir);
  const metrics = createAppMetrics({
    requestQueueDepth: () => requests.depth,
    inFlight: () => ledger.inFlight,
    journalBytes: () => journal.bytes,
    journalHealthy: () => (journal.healthy ? 1 : 0),
  });

  // A journal that cannot be written makes the app refuse new messages and
  // not Ready; it never stops it. It is rewritten from memory every second
  // until that succeeds (the disk has room again).
  let recovering: NodeJS.Timeout | null = null;
  const recoverJournal = () => {
    recovering ??= setInterval(() => {
      try {
        ledger.rewrite();
      } catch (error) {
        metrics.journalErrors.inc();
        log.warn('journal_still_unavailable', { message: (error as Error).message });
        return;
      }
      log.info('journal_recovered', { bytes: journal.bytes });
      clearInterval(recovering!);
      recovering = null;
    }, JOURNAL_RETRY_MS);
  };
  const onJournalError = (error: JournalError) => {
    metrics.journalErrors.inc();
    log.error('journal_write_failed', { message: error.message });
    recoverJournal();
  };
  const ledger = new Ledger(journal, config.trackCapacity, onJournalError);
  ledger.replay(replayed.records, replayed.corrupt);
  metrics.journalCorrupt.inc(replayed.corrupt.length);
  for (const record of replayed.corrupt.slice(0, CORRUPT_LOGGED)) log.warn('journal_corrupt_record', { path: journal.path, ...record });

  const sidecar = new SidecarClient(config.sidecarUrl, config.sidecarTimeoutMs, (s) => metrics.loopbackSeconds.observe(s));
  const sidecarHealth = new SidecarClient(config.sidecarUrl, config.sidecarTimeoutMs, undefined, 1);
  const roundTrips = new RecentRoundTrips();
  let accepting = true;

  const onReply = (bytes: Buffer) => {
    const reply = decodeOrReport(decodeReply, bytes, (reason) => {
      metrics.malformedReplies.inc();
      log.warn('malformed_reply', { queue: config.queues.replyQueue, reason, bytes: bytes.length });
    });
    if (!reply) return;
    const { kind, message } = ledger.answer(reply);
    if (kind === 'first' || kind === 'late') {
      metrics.processed.inc();
      if (kind === 'late') {
        metrics.lateReplies.inc();
        log.warn('late_reply', { id: reply.id, note: 'a quarantined message was answered after all: recorded as processed' });
      }
      if (message?.roundTripMs != null) {
        metrics.roundTripSeconds.observe(message.roundTripMs / 1000);
        roundTrips.add(message.roundTripMs);
      }
    } else if (kind === 'duplicate') {
      metrics.duplicateReplies.inc();
    } else {
      metrics.unknownReplies.inc();
      log.warn('unknown_reply', { id: reply.id });
    }
  };

  const delivery = new Delivery(
    ledger,
    requests,
    () => replies.readNow(),
    (ids) => sidecar.held(ids),
    config.delivery,
    {
      redelivered: (m, why) => {
        metrics.redelivered.inc();
        log.warn('redelivered', { id: m.id, delivery: m.deliveries, lostTakes: m.lostTakes, why });
      },
      quarantined: (m, reason) => {
        metrics.failed.inc();
        log.error('quarantined', { id: m.id, reason, deliveries: m.deliveries });
      },
      sidecarAnswers: (answers, detail) => {
        if (answers) log.info('sidecar_for_redelivery', { answers, detail });
        else log.warn('sidecar_for_redelivery', { answers, detail });
      },
    },
  );

  // The port is the Pod's lock: whoever binds it second exits 98 before touching the journal or the queue.
  const activity = { lastPostAt: 0 };
  const deps = {
    requests,
    replies,
    sidecar,
    sidecarHealth,
    ledger,
    journal,
    delivery,
    metrics,
    roundTrips,
    log,
    activity,
    maxInFlight: config.maxInFlight,
    allowedHosts: config.allowedHosts,
    accepting: () => accepting,
    lifecycleFile: process.env.LIFECYCLE_FILE || null,
  };
  // One read of the Pod's state a second, however many ask (the live page, /pod, event streams).
  const feed = new StateFeed(() => readPodState(deps));
  const server = await listen(createAppServer(deps, feed), config.listen, log);
  // Bounds a client cannot push: a request must send its headers within 10 s
  // and finish within 30 s (event streams are responses, not requests), and
  // past MAX_CONNECTIONS new connections are closed at once.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxConnections = MAX_CONNECTIONS;
  journal.startAppending();
  ledger.begin();
  if (!journal.healthy) onJournalError(new JournalError(journal.error ?? 'cannot open the journal'));
  const adopted = delivery.adopt();
  log.info('journal_replayed', {
    path: journal.path,
    bytes: journal.bytes,
    answered: ledger.remembered,
    unanswered: ledger.inFlight,
    corruptRecords: replayed.corrupt.length,
    copiesInQueue: adopted.found,
    othersInQueue: adopted.foreign,
    staleCopiesDropped: adopted.stale,
  });
  replies.consume(onReply);
  void delivery.check();
  log.info('ready', {
    requestQueue: config.queues.requestQueue,
    replyQueue: config.queues.replyQueue,
    sidecar: config.sidecarUrl,
    pid: process.pid,
  });

  onShutdown(
    log,
    async (softDeadline) => {
      // Refuse new messages (503, readiness fails), then answer what was
      // accepted: whatever a dead sidecar took is pushed again at once, and the
      // sidecar (which outlives the app) answers the rest.
      accepting = false;
      const started = performance.now();
      const atSigterm = ledger.inFlight;
      const redeliveredBefore = (await metrics.redelivered.get()).values[0]?.value ?? 0;
      if (config.drainOnShutdown) {
        delivery.drain();
        await waitFor(() => ledger.inFlight === 0, softDeadline);
      } else {
        log.warn('drain_skipped', { unanswered: atSigterm, note: 'DRAIN_ON_SHUTDOWN=false: what is unanswered goes with the Pod' });
      }
      if (ledger.inFlight > 0) log.error('unanswered_at_shutdown', { count: ledger.inFlight, ids: ledger.unansweredIds });
      const accepted = (await metrics.accepted.get()).values[0]?.value ?? 0;
      const redelivered = ((await metrics.redelivered.get()).values[0]?.value ?? 0) - redeliveredBefore;
      log.info('drained', {
        acceptedSinceStart: accepted,
        unansweredAtSigterm: atSigterm,
        answeredDuringDrain: atSigterm - ledger.inFlight,
        redeliveredDuringDrain: redelivered,
        unanswered: ledger.inFlight,
        // How long before SIGTERM the last message came: the preStop wait minus this is how long the Service took to stop sending here.
        lastPostMsBeforeSigterm: activity.lastPostAt === 0 ? null : Math.round(started - activity.lastPostAt),
        ms: Math.round(performance.now() - started),
      });
      feed.close();
      await closeServer(server);
      delivery.stop();
      if (recovering) clearInterval(recovering);
      replies.close();
      requests.close();
      sidecar.close();
      sidecarHealth.close();
      ledger.close();
    },
    config.shutdownTimeoutMs,
  );
});
