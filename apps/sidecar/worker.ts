// The sidecar's real work: for each request from the queue, a SHA-256 digest and
// a word count, remembered by id so a redelivered message is not processed twice.
// The work is a pure function of the text: a sidecar that restarted and forgot
// computes the same result again.
import { createHash } from 'node:crypto';
import { BoundedMap } from '../shared/bounded-map.js';
import { REPLY_VERSION, type ReplyEnvelope, type RequestEnvelope } from '../shared/envelope.js';

export interface MessageStatus {
  id: string;
  state: 'processed';
  sentAt: string;
  processedAt: string;
  sha256: string;
  words: number;
  /** How many times the queue delivered this id; work was done on the first. */
  deliveries: number;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}

function replyOf(status: MessageStatus): ReplyEnvelope {
  return { v: REPLY_VERSION, id: status.id, processedAt: status.processedAt, sha256: status.sha256, words: status.words };
}

export class Worker {
  readonly statuses: BoundedMap<string, MessageStatus>;

  constructor(capacity: number) {
    this.statuses = new BoundedMap(capacity);
  }

  /**
   * The reply to send. A redelivery of a message this sidecar already processed
   * gets the same reply again without doing the work twice: the app pushes a
   * request again only when no reply reached it, so the reply must be sent.
   */
  process(request: RequestEnvelope, now = new Date()): { reply: ReplyEnvelope; redelivery: boolean } {
    const known = this.statuses.get(request.id);
    if (known) {
      known.deliveries += 1;
      return { reply: replyOf(known), redelivery: true };
    }
    const status: MessageStatus = {
      id: request.id,
      state: 'processed',
      sentAt: request.sentAt,
      processedAt: now.toISOString(),
      sha256: createHash('sha256').update(request.text, 'utf8').digest('hex'),
      words: countWords(request.text),
      deliveries: 1,
    };
    this.statuses.set(request.id, status);
    return { reply: replyOf(status), redelivery: false };
  }
}
