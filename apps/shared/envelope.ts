// The wire format on both queues: one JSON object per message, versioned so the
// two containers can be upgraded one at a time and reject what they don't know.

export const ENVELOPE_VERSION = 1;

export interface RequestEnvelope {
  v: typeof ENVELOPE_VERSION;
  id: string;
  sentAt: string; // ISO 8601, when the app accepted the message
  text: string;
}

export interface ReplyEnvelope {
  v: typeof ENVELOPE_VERSION;
  id: string;
  processedAt: string;
  sha256: string;
  words: number;
}

export class EnvelopeError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function encodeEnvelope(envelope: RequestEnvelope | ReplyEnvelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

function parseObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new EnvelopeError(`not JSON (${bytes.length} bytes)`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EnvelopeError('not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.v !== ENVELOPE_VERSION) throw new EnvelopeError(`unsupported envelope version ${JSON.stringify(record.v)}`);
  if (!isMessageId(record.id)) throw new EnvelopeError('id is not a UUID');
  return record;
}

function requireString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw new EnvelopeError(`${field} is not a string`);
  return value;
}

export function decodeRequest(bytes: Buffer): RequestEnvelope {
  const record = parseObject(bytes);
  return { v: ENVELOPE_VERSION, id: record.id as string, sentAt: requireString(record, 'sentAt'), text: requireString(record, 'text') };
}

export function decodeReply(bytes: Buffer): ReplyEnvelope {
  const record = parseObject(bytes);
  const words = record.words;
  if (typeof words !== 'number' || !Number.isInteger(words) || words < 0) throw new EnvelopeError('words is not a count');
  return {
    v: ENVELOPE_VERSION,
    id: record.id as string,
    processedAt: requireString(record, 'processedAt'),
    sha256: requireString(record, 'sha256'),
    words,
  };
}
