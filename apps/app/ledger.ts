// What the app knows about the messages it accepted, kept in memory and in the
// journal: which are still waiting for their reply (and may have to be pushed
// again), and the result of those that came back. The reply is the
// acknowledgement: a message is done when its first reply is recorded here.
import { BoundedMap } from '../shared/bounded-map.js';
import type { ReplyEnvelope } from '../shared/envelope.js';
import type { Journal, JournalRecord } from './journal.js';

export interface Result {
  processedAt: string;
  sha256: string;
  words: number;
}

export interface Message {
  id: string;
  sentAt: string;
  /** Kept while unanswered, to push the request again; dropped once answered. */
  text: string | null;
  /** process.hrtime.bigint() at the first push by this process; null for messages replayed from the journal. */
  pushedAt: bigint | null;
  /** Pushes onto the request queue (a replayed message counts its earlier pushes as one). */
  deliveries: number;
  /** Date.now() after which an unanswered message is pushed again. */
  dueAt: number;
  result: Result | null;
  /** Replies received; more than one means a redelivery was answered too (counted, not processed twice). */
  replies: number;
  roundTripMs: number | null;
  failed: string | null;
}

function resultOf(source: Result): Result {
  return { processedAt: source.processedAt, sha256: source.sha256, words: source.words };
}

export type AnswerKind = 'first' | 'duplicate' | 'unknown';

/** The journal is compacted when it has grown past twice its live size, and never below this. */
const MIN_COMPACT_BYTES = 1 << 20;

export class Ledger {
  private readonly waiting = new Map<string, Message>();
  private readonly finished: BoundedMap<string, Message>;
  private compactAt = MIN_COMPACT_BYTES;
  compactions = 0;

  constructor(
    private readonly journal: Journal,
    capacity: number,
  ) {
    this.finished = new BoundedMap(capacity);
  }

  /** Rebuilds the state from the journal's records; unanswered messages become due after `firstDueAt`. */
  replay(records: JournalRecord[], firstDueAt: number): void {
    for (const record of records) {
      switch (record.t) {
        case 'accepted':
          this.waiting.set(record.id, this.message(record.id, record.sentAt, record.text, null, firstDueAt));
          break;
        case 'answered':
          this.finish(record.id, (m) => ((m.result = resultOf(record)), (m.replies = 1)));
          break;
        case 'failed':
          this.finish(record.id, (m) => (m.failed = record.reason));
          break;
        case 'done':
          this.finished.set(record.id, { ...this.message(record.id, record.sentAt, null, null, Infinity), result: resultOf(record), replies: 1 });
          break;
      }
    }
  }

  get inFlight(): number {
    return this.waiting.size;
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

  /** Records a message that was pushed onto the request queue. Throws when the journal cannot be written. */
  accept(id: string, sentAt: string, text: string, pushedAt: bigint, dueAt: number): void {
    this.journal.append({ t: 'accepted', id, sentAt, text });
    this.waiting.set(id, this.message(id, sentAt, text, pushedAt, dueAt));
    this.maybeCompact();
  }

  answer(reply: ReplyEnvelope, at = process.hrtime.bigint()): { kind: AnswerKind; message?: Message } {
    const message = this.waiting.get(reply.id);
    if (!message) {
      const known = this.finished.get(reply.id);
      if (!known) return { kind: 'unknown' };
      known.replies += 1;
      return { kind: 'duplicate', message: known };
    }
    const result = resultOf(reply);
    this.journal.append({ t: 'answered', id: reply.id, ...result });
    this.finish(reply.id, (m) => {
      m.result = result;
      m.replies = 1;
      m.roundTripMs = m.pushedAt === null ? null : Number(at - m.pushedAt) / 1e6;
    });
    this.maybeCompact();
    return { kind: 'first', message };
  }

  /** Gives up on a message that was never answered: recorded, never pushed again. */
  fail(id: string, reason: string): void {
    this.journal.append({ t: 'failed', id, reason });
    this.finish(id, (m) => (m.failed = reason));
  }

  /** Unanswered messages whose time has come, oldest first. */
  due(now: number): Message[] {
    return [...this.waiting.values()].filter((message) => message.dueAt <= now);
  }

  /** The earliest time an unanswered message is due, or null when none is waiting. */
  get nextDueAt(): number | null {
    let next: number | null = null;
    for (const message of this.waiting.values()) if (next === null || message.dueAt < next) next = message.dueAt;
    return next;
  }

  close(): void {
    this.journal.close();
  }

  private message(id: string, sentAt: string, text: string | null, pushedAt: bigint | null, dueAt: number): Message {
    // Every message here was pushed once before it was recorded.
    return { id, sentAt, text, pushedAt, deliveries: 1, dueAt, result: null, replies: 0, roundTripMs: null, failed: null };
  }

  private finish(id: string, update: (message: Message) => void): void {
    const message = this.waiting.get(id);
    if (!message) return;
    this.waiting.delete(id);
    update(message);
    message.text = null;
    this.finished.set(id, message);
  }

  /** Rewrites the journal with what is still needed: unanswered requests and the remembered results. */
  private maybeCompact(): void {
    if (this.journal.bytes < this.compactAt) return;
    const live: JournalRecord[] = [];
    for (const [id, m] of this.finished.entries()) {
      if (m.result) live.push({ t: 'done', id, sentAt: m.sentAt, ...m.result });
      else live.push({ t: 'failed', id, reason: m.failed ?? 'unknown' });
    }
    for (const [id, m] of this.waiting) live.push({ t: 'accepted', id, sentAt: m.sentAt, text: m.text ?? '' });
    this.journal.rewrite(live);
    this.compactions += 1;
    this.compactAt = Math.max(MIN_COMPACT_BYTES, 2 * this.journal.bytes);
  }
}
