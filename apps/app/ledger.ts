// What the app knows about the messages it accepted, kept in memory and in the
// journal: which are still waiting for their reply, where their copy is
// (delivery.ts moves them between stages), and the result of those that came
// back. The reply is the acknowledgement: a message is done when its first
// reply is recorded here. docs/survival.md draws the states.
import { BoundedMap } from '../shared/bounded-map.js';
import type { ReplyEnvelope } from '../shared/envelope.js';
import { JournalError, type Journal } from './journal.js';
import type { CorruptRecord, JournalRecord } from './journal-records.js';
import { MessageIds, newIssuerTag } from './message-id.js';

export interface Result {
  processedAt: string;
  sha256: string;
  words: number;
}

/**
 * Where an unanswered message's copy is: in the request queue; out of it
 * (taken by a sidecar, which may have died); or nowhere yet, waiting for room.
 */
export type Stage = 'queued' | 'taken' | 'unqueued';

export interface Message {
  id: string;
  sentAt: string;
  /** The client's Idempotency-Key, if it sent one. */
  key: string | null;
  /** Kept while unanswered, to push the request again; dropped once answered. */
  text: string | null;
  stage: Stage;
  /** process.hrtime.bigint() at the first push by this process; null for messages replayed from the journal. */
  pushedAt: bigint | null;
  /** Copies pushed onto the request queue (a replayed message counts its earlier ones as one). */
  deliveries: number;
  /** Copies taken by a sidecar that died before answering. */
  lostTakes: number;
  /** Why the next copy pushed is a redelivery, until it is pushed. */
  again: string | null;
  /** performance.now() at which the app next looks at where this copy is. */
  checkAt: number;
  result: Result | null;
  /** Replies received; more than one means a redelivery was answered too (counted, not processed twice). */
  replies: number;
  roundTripMs: number | null;
  /** Why it was quarantined; a late reply clears it. */
  failed: string | null;
}

export type AnswerKind = 'first' | 'late' | 'duplicate' | 'unknown';

/** The journal is compacted when it has grown past twice its live size, and never below this. */
const MIN_COMPACT_BYTES = 1 << 20;

/** Quarantined messages listed by GET /api/state and the live page. */
const QUARANTINE_LISTED = 20;

export class Ledger {
  private readonly waiting = new Map<string, Message>();
  private readonly finished: BoundedMap<string, Message>;
  private readonly keys = new Map<string, string>();
  private compactAt = MIN_COMPACT_BYTES;
  /** Ids issued up to this time (ms) that are no longer remembered: 0 while nothing was forgotten. */
  forgottenUpTo = 0;
  /** Set by replay, from the journal's issuer record or a new tag. */
  ids!: MessageIds;
  compactions = 0;
  private issuerRecorded = false;
  /** What replay could not read, with offsets (also counted in a metric and shown on the live page). */
  corrupt: CorruptRecord[] = [];

  constructor(
    private readonly journal: Journal,
    readonly capacity: number,
    /** Told when a write fails: the journal is then unhealthy until a rewrite succeeds. */
    private readonly onJournalError: (error: JournalError) => void = () => {},
  ) {
    this.finished = new BoundedMap(capacity, (id, message) => this.forget(id, message));
  }

  /** Rebuilds the state from the journal's records; unanswered messages start as `taken` (delivery.ts sorts them out). */
  replay(records: JournalRecord[], corrupt: CorruptRecord[] = []): void {
    this.corrupt = corrupt;
    for (const record of records) {
      switch (record.t) {
        case 'issuer':
          // First in the file, so the ids of messages forgotten during replay are recognised.
          this.ids ??= new MessageIds(record.tag);
          this.issuerRecorded = true;
          break;
        case 'accepted': {
          if (this.get(record.id)) break;
          const message = this.message(record.id, record.sentAt, record.text, record.key ?? null, null);
          message.stage = 'taken';
          this.waiting.set(record.id, message);
          if (message.key !== null) this.keys.set(message.key, message.id);
          break;
        }
        case 'answered':
          this.record(record.id, resultOf(record));
          break;
        case 'lost': {
          const message = this.waiting.get(record.id);
          if (message) {
            message.lostTakes += 1;
            message.deliveries += 1;
          }
          break;
        }
        case 'failed':
          if (!this.waiting.has(record.id) && !this.finished.has(record.id) && record.sentAt !== undefined) {
            this.waiting.set(record.id, this.message(record.id, record.sentAt, null, record.key ?? null, null));
          }
          this.finish(record.id, (m) => (m.failed = record.reason));
          break;
        case 'done': {
          const message = {
            ...this.message(record.id, record.sentAt, null, record.key ?? null, null),
            result: resultOf(record),
            replies: 1,
          };
          this.finished.set(record.id, message);
          if (message.key !== null) this.keys.set(message.key, message.id);
          break;
        }
        case 'forgotten':
          this.forgottenUpTo = Math.max(this.forgottenUpTo, record.upTo);
          break;
      }
    }
    this.ids ??= new MessageIds(newIssuerTag());
  }

  /** Once the journal is open for appending: a new journal starts with the tag of the ids it will issue. */
  begin(): void {
    if (!this.issuerRecorded) this.write({ t: 'issuer', tag: this.ids.issuer });
    this.issuerRecorded = true;
  }

  get inFlight(): number {
    return this.waiting.size;
  }

  get unanswered(): IterableIterator<Message> {
    return this.waiting.values();
  }

  get unansweredIds(): string[] {
    return [...this.waiting.keys()];
  }

  get remembered(): number {
    return this.finished.size;
  }

  get(id: string): Message | undefined {
    return this.waiting.get(id) ?? this.finished.get(id);
  }

  byKey(key: string): Message | undefined {
    const id = this.keys.get(key);
    return id === undefined ? undefined : this.get(id);
  }

  /** The last quarantined messages, newest first. */
  quarantined(): Array<{ id: string; reason: string }> {
    const found: Array<{ id: string; reason: string }> = [];
    for (const [id, message] of this.finished.entries()) if (message.failed !== null) found.push({ id, reason: message.failed });
    return found.reverse().slice(0, QUARANTINE_LISTED);
  }

  /**
   * Records a message before its request can reach the sidecar: if this
   * throws (the journal cannot be written), nothing was promised and nothing
   * may be pushed.
   */
  accept(id: string, sentAt: string, text: string, key: string | null): Message {
    try {
      this.journal.append({ t: 'accepted', id, sentAt, text, ...(key === null ? {} : { key }) });
    } catch (error) {
      // Unhealthy from now on: whoever watches (main.ts) starts rewriting it from memory.
      if (error instanceof JournalError) this.onJournalError(error);
      throw error;
    }
    const message = this.message(id, sentAt, text, key, process.hrtime.bigint());
    this.waiting.set(id, message);
    if (key !== null) this.keys.set(key, id);
    this.maybeCompact();
    return message;
  }

  /**
   * The first reply wins, whenever it comes: a reply for a quarantined
   * message records its result and makes it processed (`late`).
   */
  answer(reply: ReplyEnvelope, at = process.hrtime.bigint()): { kind: AnswerKind; message?: Message } {
    const result = resultOf(reply);
    const message = this.waiting.get(reply.id);
    if (!message) {
      const known = this.finished.get(reply.id);
      if (!known) return { kind: 'unknown' };
      if (known.result) {
        known.replies += 1;
        return { kind: 'duplicate', message: known };
      }
      this.write({ t: 'answered', id: reply.id, ...result });
      known.result = result;
      known.replies = 1;
      known.failed = null;
      return { kind: 'late', message: known };
    }
    this.write({ t: 'answered', id: reply.id, ...result });
    this.finish(reply.id, (m) => {
      m.result = result;
      m.replies = 1;
      m.roundTripMs = m.pushedAt === null ? null : Number(at - m.pushedAt) / 1e6;
    });
    this.maybeCompact();
    return { kind: 'first', message };
  }

  /** A copy of this message was taken by a sidecar that died before answering. */
  lost(message: Message): void {
    message.lostTakes += 1;
    this.write({ t: 'lost', id: message.id });
  }

  /** Quarantines a message that keeps killing the sidecar: recorded, never pushed again (a late reply still counts). */
  fail(id: string, reason: string): void {
    const message = this.waiting.get(id);
    this.write({ t: 'failed', id, reason, ...(message ? { sentAt: message.sentAt } : {}), ...(message?.key ? { key: message.key } : {}) });
    this.finish(id, (m) => (m.failed = reason));
  }

  /** The earliest time an unanswered message is to be looked at, or null when none is waiting. */
  get nextCheckAt(): number | null {
    let next: number | null = null;
    for (const message of this.waiting.values()) if (next === null || message.checkAt < next) next = message.checkAt;
    return next;
  }

  /**
   * Rewrites the journal from memory: what compaction does, and how an
   * unhealthy journal is made whole again (the records it could not write
   * are in memory). Throws JournalError when the rewrite fails.
   */
  rewrite(): void {
    const live: JournalRecord[] = [{ t: 'issuer', tag: this.ids.issuer }];
    if (this.forgottenUpTo > 0) live.push({ t: 'forgotten', upTo: this.forgottenUpTo });
    for (const [id, m] of this.finished.entries()) {
      const key = m.key === null ? {} : { key: m.key };
      if (m.result) live.push({ t: 'done', id, sentAt: m.sentAt, ...m.result, ...key });
      else live.push({ t: 'failed', id, reason: m.failed ?? 'unknown', sentAt: m.sentAt, ...key });
    }
    for (const [id, m] of this.waiting) {
      live.push({ t: 'accepted', id, sentAt: m.sentAt, text: m.text ?? '', ...(m.key === null ? {} : { key: m.key }) });
      for (let i = 0; i < m.lostTakes; i++) live.push({ t: 'lost', id });
    }
    this.journal.rewrite(live);
    this.compactions += 1;
    this.compactAt = Math.max(MIN_COMPACT_BYTES, 2 * this.journal.bytes);
  }

  close(): void {
    this.journal.close();
  }

  private message(id: string, sentAt: string, text: string | null, key: string | null, pushedAt: bigint | null): Message {
    return {
      id,
      sentAt,
      key,
      text,
      stage: 'unqueued',
      pushedAt,
      deliveries: pushedAt === null ? 1 : 0,
      lostTakes: 0,
      again: null,
      checkAt: 0,
      result: null,
      replies: 0,
      roundTripMs: null,
      failed: null,
    };
  }

  /** A reply read back from the journal: the first one is the result, also for a message quarantined before it. */
  private record(id: string, result: Result): void {
    const known = this.finished.get(id);
    if (known && !known.result) {
      known.result = result;
      known.replies = 1;
      known.failed = null;
    }
    this.finish(id, (m) => {
      m.result = result;
      m.replies = 1;
    });
  }

  private finish(id: string, update: (message: Message) => void): void {
    const message = this.waiting.get(id);
    if (!message) return;
    this.waiting.delete(id);
    update(message);
    message.text = null;
    this.finished.set(id, message);
  }

  private forget(id: string, message: Message): void {
    if (message.key !== null) this.keys.delete(message.key);
    // During replay of a journal that has no issuer record yet, ids is unset: those ids are not this Pod's kind.
    const issued = (this.ids as MessageIds | undefined)?.issuedAt(id);
    if (issued != null) this.forgottenUpTo = Math.max(this.forgottenUpTo, issued);
  }

  /** Writes a record about a message already recorded: a failure makes the journal unhealthy but loses nothing in memory. */
  private write(record: JournalRecord): void {
    if (!this.journal.healthy) return;
    try {
      this.journal.append(record);
    } catch (error) {
      if (!(error instanceof JournalError)) throw error;
      this.onJournalError(error);
    }
  }

  /** Compaction that fails leaves the old journal in use and is tried again later; it never fails the caller. */
  private maybeCompact(): void {
    if (this.journal.bytes < this.compactAt) return;
    try {
      this.rewrite();
    } catch (error) {
      if (!(error instanceof JournalError)) throw error;
      this.compactAt = 2 * this.journal.bytes;
    }
  }
}

function resultOf(source: Result): Result {
  return { processedAt: source.processedAt, sha256: source.sha256, words: source.words };
}
