import { expect, test } from 'vitest';
import { decodeReply, decodeRequest, encodeEnvelope, EnvelopeError, isMessageId } from '../../apps/shared/envelope.js';

const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

test('a request envelope survives encode and decode', () => {
  const envelope = { v: 1 as const, id, sentAt: '2026-01-01T00:00:00.000Z', text: 'héllo pod' };
  expect(decodeRequest(encodeEnvelope(envelope))).toEqual(envelope);
});

test('a reply envelope survives encode and decode', () => {
  const envelope = { v: 1 as const, id, processedAt: '2026-01-01T00:00:00.000Z', sha256: 'ab', words: 2 };
  expect(decodeReply(encodeEnvelope(envelope))).toEqual(envelope);
});

test.each([
  ['not JSON', 'nope', /not JSON/],
  ['an array', '[1]', /not a JSON object/],
  ['another version', JSON.stringify({ v: 2, id, sentAt: 'x', text: 'y' }), /unsupported envelope version 2/],
  ['a bad id', JSON.stringify({ v: 1, id: 'x', sentAt: 'x', text: 'y' }), /id is not a UUID/],
  ['a missing text', JSON.stringify({ v: 1, id, sentAt: 'x' }), /text is not a string/],
])('decoding %s fails with a reason', (_name, raw, reason) => {
  expect(() => decodeRequest(Buffer.from(raw))).toThrow(EnvelopeError);
  expect(() => decodeRequest(Buffer.from(raw))).toThrow(reason);
});

test('a reply with a negative or fractional word count is refused', () => {
  const bad = (words: number) => Buffer.from(JSON.stringify({ v: 1, id, processedAt: 'x', sha256: 'y', words }));
  expect(() => decodeReply(bad(-1))).toThrow(/words is not a count/);
  expect(() => decodeReply(bad(1.5))).toThrow(/words is not a count/);
});

test('message ids are lowercase UUIDs', () => {
  expect(isMessageId(id)).toBe(true);
  expect(isMessageId(id.toUpperCase())).toBe(false);
  expect(isMessageId(`${id}x`)).toBe(false);
  expect(isMessageId(42)).toBe(false);
});
