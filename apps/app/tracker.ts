// What the app knows about the messages it accepted: when, and how many replies
// came back through the reply queue (exactly one, unless something is wrong).
import { BoundedMap } from '../shared/bounded-map.js';

export interface Accepted {
  acceptedAt: bigint; // process.hrtime.bigint() at push, for the round-trip time
  sentAt: string; // the envelope's sentAt
  replies: number;
  roundTripMs: number | null;
  processedAt: string | null; // from the first reply
}

export class Tracker {
  readonly accepted: BoundedMap<string, Accepted>;

  constructor(capacity: number) {
    this.accepted = new BoundedMap(capacity);
  }

  accept(id: string, sentAt: string, at = process.hrtime.bigint()): void {
    this.accepted.set(id, { acceptedAt: at, sentAt, replies: 0, roundTripMs: null, processedAt: null });
  }

  /** Records a reply; returns the round trip in seconds for a first reply, null otherwise. */
  reply(id: string, processedAt: string, at = process.hrtime.bigint()): { first: boolean; seconds: number | null } {
    const record = this.accepted.get(id);
    if (!record) return { first: false, seconds: null };
    record.replies += 1;
    if (record.replies > 1) return { first: false, seconds: null };
    const seconds = Number(at - record.acceptedAt) / 1e9;
    record.roundTripMs = seconds * 1000;
    record.processedAt = processedAt;
    return { first: true, seconds };
  }
}
