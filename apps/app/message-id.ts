// Message ids that say when and by whom they were issued: UUIDv7 (RFC 9562),
// whose first 48 bits are the time in milliseconds, with the last 32 of its
// random bits set to a tag this Pod's journal chose once. The app remembers
// the last TRACK_CAPACITY messages; with these ids it can tell an id it issued
// and has forgotten (410 Gone) from one it never issued (404).
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function newIssuerTag(): string {
  return randomBytes(4).toString('hex');
}

export class MessageIds {
  private readonly tag: Buffer;

  constructor(readonly issuer: string) {
    this.tag = Buffer.from(issuer, 'hex');
  }

  next(now = Date.now()): string {
    const random = randomBytes(16);
    this.tag.copy(random, 12);
    return v7({ msecs: now, random });
  }

  /** When this Pod issued `id`, or null when it is not one of this Pod's ids. */
  issuedAt(id: string): number | null {
    if (!V7.test(id) || id.slice(-8) !== this.tag.toString('hex')) return null;
    return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  }
}
