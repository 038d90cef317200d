// The app container: public API on APP_PORT, requests onto the request queue,
// replies from the reply queue, every accepted message in the journal until its
// reply came back, statuses and namespaces from the sidecar over 127.0.0.1.
import { decodeReply, EnvelopeError } from '../shared/envelope.js';
import { createLogger } from '../shared/log.js';
import { openPodQueues } from '../shared/message-queue.js';
import { closeServer, listen, onShutdown, waitFor } from '../shared/serve.js';
import { runService } from '../shared/start.js';
import { readAppConfig } from './config.js';
import { Journal } from './journal.js';
import { Ledger } from './ledger.js';
import { RecentRoundTrips } from './recent-round-trips.js';
import { createAppMetrics } from './metrics.js';
import { Redelivery } from './redelivery.js';
import { createAppServer } from './server.js';
import { SidecarClient } from './sidecar-client.js';

const log = createLogger('app');

runService(log, async () => {
  const config = readAppConfig(process.env);
  const { requests, replies } = openPodQueues(config.queues);
  // Read only, for now: a second app in this Pod (a port clash) must not write to it.
  const { journal, replayed } = Journal.read(config.stateDir);
  const ledger = new Ledger(journal, config.trackCapacity);
  const metrics = createAppMetrics({ requestQueueDepth: () => requests.depth, inFlight: () => ledger.inFlight, journalBytes: () => journal.bytes });
  const redelivery = new Redelivery(ledger, requests, config.redelivery, {
    redelivered: (m) => {
      metrics.redelivered.inc();
      log.warn('redelivered', { id: m.id, delivery: m.deliveries });
    },
    gaveUp: (m) => {
      metrics.failed.inc();
      log.error('gave_up', { id: m.id, deliveries: m.deliveries });
    },
  });
  // Unanswered messages get a full timeout first: their replies may be waiting in the reply queue.
  ledger.replay(replayed.records, redelivery.firstDueAt());
  const sidecar = new SidecarClient(config.sidecarUrl, config.sidecarTimeoutMs, (s) => metrics.loopbackSeconds.observe(s));
  const roundTrips = new RecentRoundTrips();
  let accepting = true;

  // The port is the Pod's lock: whoever binds it second exits 98 before touching the journal.
  const deps = { requests, replies, sidecar, ledger, redelivery, metrics, roundTrips, log, maxInFlight: config.maxInFlight, accepting: () => accepting };
  const server = await listen(createAppServer(deps), config.listen, log);
  journal.startAppending();
  log.info('journal_replayed', { path: journal.path, bytes: journal.bytes, answered: ledger.remembered, unanswered: ledger.inFlight, skippedLines: replayed.skipped });

  replies.consume((bytes) => {
    let reply;
    try {
      reply = decodeReply(bytes);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      metrics.malformedReplies.inc();
      log.warn('malformed_reply', { queue: config.queues.replyQueue, reason: error.message, bytes: bytes.length });
      return;
    }
    const { kind, message } = ledger.answer(reply);
    if (kind === 'first') {
      metrics.processed.inc();
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
  });
  redelivery.schedule();
  log.info('ready', { requestQueue: config.queues.requestQueue, replyQueue: config.queues.replyQueue, sidecar: config.sidecarUrl, pid: process.pid });

  onShutdown(
    log,
    async (softDeadline) => {
      // Refuse new messages (503, readiness fails), then wait for the replies of
      // those already accepted; redelivery goes on meanwhile.
      accepting = false;
      const draining = Date.now();
      const answered = await waitFor(() => ledger.inFlight === 0, softDeadline);
      if (!answered) log.error('unanswered_at_shutdown', { count: ledger.inFlight, ids: ledger.unansweredIds });
      const accepted = (await metrics.accepted.get()).values[0]?.value ?? 0;
      log.info('drained', { acceptedSinceStart: accepted, unanswered: ledger.inFlight, ms: Date.now() - draining });
      await closeServer(server);
      redelivery.stop();
      replies.close();
      requests.close();
      sidecar.close();
      ledger.close();
    },
    config.shutdownTimeoutMs,
  );
});
