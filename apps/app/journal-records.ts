// The journal's records and how a journal file is read back. Reading never
// throws: every line is checked field by field, a record glued onto the torn
// end of an older write is recovered, and whatever cannot be read is reported
// with its byte offset, so one bad line can neither stop the app nor hide.
import { isMessageId } from '../shared/envelope.js';
import type { CorruptRecord } from '../shared/pod-view.js';

export type JournalRecord =
  /** The tag this Pod's app puts in the ids it issues (message-id.ts); written once, first. */
  | { t: 'issuer'; tag: string }
  /** Accepted: written before the request can reach the sidecar; the text is kept until the reply comes. */
  | { t: 'accepted'; id: string; sentAt: string; text: string; key?: string }
  | { t: 'answered'; id: string; processedAt: string; sha256: string; words: number }
  /** A copy was taken by a sidecar that died before answering (counted towards quarantine). */
  | { t: 'lost'; id: string }
  /** Quarantined: taken too many times by sidecars that died; a late reply still wins. */
  | { t: 'failed'; id: string; reason: string; sentAt?: string; key?: string }
  /** An answered message as compaction rewrites it: the text is no longer needed. */
  | { t: 'done'; id: string; sentAt: string; processedAt: string; sha256: string; words: number; key?: string }
  /** Ids issued up to this time (ms since the epoch) that are no longer remembered. */
  | { t: 'forgotten'; upTo: number };

export type { CorruptRecord };

export interface Replayed {
  records: JournalRecord[];
  corrupt: CorruptRecord[];
}

type Fields = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const optionalString = (value: unknown) => value === undefined || isString(value);

/** What each record type must carry; a record missing a field, or with a field of the wrong type, is corrupt. */
const VALID: Record<JournalRecord['t'], (r: Fields) => boolean> = {
  issuer: (r) => isString(r.tag) && /^[0-9a-f]{8}$/.test(r.tag),
  accepted: (r) => isMessageId(r.id) && isString(r.sentAt) && isString(r.text) && optionalString(r.key),
  answered: (r) => isMessageId(r.id) && isString(r.processedAt) && isString(r.sha256) && isCount(r.words),
  lost: (r) => isMessageId(r.id),
  failed: (r) => isMessageId(r.id) && isString(r.reason) && optionalString(r.sentAt) && optionalString(r.key),
  done: (r) =>
    isMessageId(r.id) && isString(r.sentAt) && isString(r.processedAt) && isString(r.sha256) && isCount(r.words) && optionalString(r.key),
  forgotten: (r) => isCount(r.upTo),
};

/** A record as JSON, or why it is not one. */
function parseRecord(text: string): JournalRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const fields = value as Fields;
  const valid = Object.hasOwn(VALID, String(fields.t)) ? VALID[fields.t as JournalRecord['t']] : undefined;
  if (!valid) return `unknown record type ${JSON.stringify(fields.t)}`;
  return valid(fields) ? (fields as JournalRecord) : `a "${String(fields.t)}" record with a missing or wrong field`;
}

/**
 * Every record starts with this: JSON.stringify escapes the quotes of a text,
 * so the sequence cannot occur inside a record, only at its start.
 */
const RECORD_START = '{"t":"';

export function parseJournal(text: string): Replayed {
  const records: JournalRecord[] = [];
  const corrupt: CorruptRecord[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineOffset = offset;
    offset += Buffer.byteLength(line, 'utf8') + 1;
    if (line === '') continue;
    let parsed = parseRecord(line);
    if (typeof parsed === 'string') {
      // A write torn by a crash, with a later record appended to it on the same line: keep the later one.
      const start = line.lastIndexOf(RECORD_START);
      const salvaged = start > 0 ? parseRecord(line.slice(start)) : parsed;
      if (typeof salvaged !== 'string') {
        corrupt.push({ offset: lineOffset, reason: `a torn record before another (${start} bytes: ${JSON.stringify(line.slice(0, 40))})` });
        parsed = salvaged;
      }
    }
    if (typeof parsed === 'string') corrupt.push({ offset: lineOffset, reason: `${parsed}: ${JSON.stringify(line.slice(0, 60))}` });
    else records.push(parsed);
  }
  return { records, corrupt };
}

export function formatRecords(records: JournalRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}
