import { expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeReply, decodeRequest, encodeReply, encodeRequest, EnvelopeError, isMessageId } from '../../apps/shared/envelope.js';

const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const request = { id, sentAt: '2026-01-01T00:00:00.000Z', text: 'héllo\npod "world"' };

test('a request survives encode and decode, newlines and quotes in its text included', () => {
  expect(decodeRequest(encodeRequest(request))).toEqual(request);
});

test('a version 2 request is a JSON header line, then the raw text', () => {
  expect(encodeRequest(request).toString()).toBe(`{"v":2,"id":"${id}","sentAt":"2026-01-01T00:00:00.000Z"}\nhéllo\npod "world"`);
});

test('into a write buffer, the same bytes as a view of it; a request too big for it gets its own buffer', () => {
  const into = Buffer.alloc(256, 0xff);
  const view = encodeRequest(request, into);
  expect(view.buffer).toBe(into.buffer);
  expect(view.equals(encodeRequest(request))).toBe(true);
  const big = { ...request, text: 'é'.repeat(200) }; // 400 bytes of UTF-8
  const own = encodeRequest(big, into);
  expect(own.buffer).not.toBe(into.buffer);
  expect(decodeRequest(own)).toEqual(big);
});

test('a version 1 request (one JSON object) is still read: containers can be upgraded one at a time', () => {
  expect(decodeRequest(Buffer.from(JSON.stringify({ v: 1, ...request })))).toEqual(request);
});

test('a reply survives encode and decode', () => {
  const reply = { v: 1 as const, id, processedAt: '2026-01-01T00:00:00.000Z', sha256: 'ab', words: 2 };
  expect(decodeReply(encodeReply(reply))).toEqual(reply);
});

test.each([
  ['not JSON', 'nope', /not JSON/],
  ['an array', '[1]', /not a JSON object/],
  ['an unknown version', JSON.stringify({ v: 3, id, sentAt: 'x', text: 'y' }), /unsupported envelope version 3/],
  ['a version 1 header with a text after it', `${JSON.stringify({ v: 1, id, sentAt: 'x' })}\ntext`, /unsupported envelope version 1/],
  ['a bad id', `${JSON.stringify({ v: 2, id: 'x', sentAt: 'x' })}\ntext`, /id is not a UUID/],
  ['a missing sentAt', `${JSON.stringify({ v: 2, id })}\ntext`, /sentAt is not a string/],
  ['a version 1 request without text', JSON.stringify({ v: 1, id, sentAt: 'x' }), /text is not a string/],
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

// Whatever another process of the Pod puts in a queue: decoding either gives a
// whole, valid envelope or throws EnvelopeError (which the consumers catch,
// count and log), never anything else that would escape a consumer.
const queueBytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  // Near misses: JSON headers with wrong or missing fields, then a newline and a text.
  fc
    .tuple(
      fc.dictionary(fc.constantFrom('v', 'id', 'sentAt', 'text', 'processedAt', 'sha256', 'words'), fc.jsonValue()),
      fc.boolean(),
      fc.string(),
    )
    .map(([header, newline, text]) => Buffer.from(`${JSON.stringify(header)}${newline ? '\n' : ''}${text}`)),
);

test('property: decodeRequest and decodeReply accept a valid envelope or throw EnvelopeError, whatever the bytes', () => {
  fc.assert(
    fc.property(queueBytes, (bytes) => {
      for (const decode of [decodeRequest, decodeReply]) {
        let decoded: unknown;
        try {
          decoded = decode(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(EnvelopeError);
          continue;
        }
        const envelope = decoded as { id: unknown };
        expect(isMessageId(envelope.id)).toBe(true);
      }
    }),
    { numRuns: 2000 },
  );
});
