import { expect, test } from 'vitest';
import { MessageIds, newIssuerTag } from '../../apps/app/message-id.js';
import { isMessageId } from '../../apps/shared/envelope.js';

test('ids are UUIDv7 in time order, carry the issuer tag, and give back their time', () => {
  const ids = new MessageIds(newIssuerTag());
  const at = Date.UTC(2026, 11, 6, 12, 0, 0, 123);
  const first = ids.next(at);
  const second = ids.next(at + 1);
  expect(isMessageId(first)).toBe(true);
  expect(first[14]).toBe('7');
  expect(first.endsWith(ids.issuer)).toBe(true);
  expect(first < second).toBe(true);
  expect(ids.issuedAt(first)).toBe(at);
});

test("another Pod's id, or a UUIDv4, is not this Pod's", () => {
  const mine = new MessageIds('0a0b0c0d');
  const theirs = new MessageIds('01020304');
  expect(mine.issuedAt(theirs.next())).toBeNull();
  expect(mine.issuedAt('4b0c5a0e-9d1c-4f2a-8b3c-0a0b0c0d0a0b'.replace(/0a0b$/, '0c0d'))).toBeNull();
});
