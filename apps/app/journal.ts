// The app's journal: one JSON record per line, appended to a file in the Pod's
// emptyDir volume. A container's own filesystem dies with the container; an
// emptyDir lives as long as the Pod, like the Pod's IPC namespace and so the
// queues. What the app accepted and what came back survive a SIGKILL of either
// container, and go away with the Pod, together with the queues they describe.
//
// A line is written with one write(2) before the app answers 202. Once that
// returns, the bytes are the kernel's: a SIGKILL of the process cannot lose
// them. There is no fsync: a node crash can lose the last writes, but it also
// takes the Pod's queues and the Pod itself.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExitError } from '../shared/exit-codes.js';

export type JournalRecord =
  /** Pushed onto the request queue; the text is kept until the reply comes, to push it again if needed. */
  | { t: 'accepted'; id: string; sentAt: string; text: string }
  | { t: 'answered'; id: string; processedAt: string; sha256: string; words: number }
  | { t: 'failed'; id: string; reason: string }
  /** An answered message as compaction rewrites it: the text is no longer needed. */
  | { t: 'done'; id: string; sentAt: string; processedAt: string; sha256: string; words: number };

const TYPES = new Set(['accepted', 'answered', 'failed', 'done']);

export class JournalError extends ExitError {
  constructor(message: string) {
    super(ExitCode.cantCreate, 'journal_unavailable', message);
  }
}

export interface Replayed {
  records: JournalRecord[];
  /** Lines that did not parse: a write cut short by SIGKILL leaves at most one, at the end. */
  skipped: number;
}

export function parseJournal(text: string): Replayed {
  const records: JournalRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const record = JSON.parse(line) as JournalRecord;
      if (typeof record === 'object' && record !== null && TYPES.has(record.t) && typeof record.id === 'string') records.push(record);
      else skipped += 1;
    } catch {
      skipped += 1;
    }
  }
  return { records, skipped };
}

export class Journal {
  private fd: number | null = null;
  private size: number;

  private constructor(
    readonly path: string,
    private readonly endsCleanly: boolean,
    size: number,
  ) {
    this.size = size;
  }

  /** Reads the journal without writing to it: a second app in the Pod (a port clash) must not touch it. */
  static read(dir: string): { journal: Journal; replayed: Replayed } {
    if (!existsSync(dir)) {
      throw new JournalError(`STATE_DIR ${dir} does not exist: mount the Pod's emptyDir volume there, or point STATE_DIR at a writable folder`);
    }
    const path = join(dir, 'journal.jsonl');
    let text = '';
    try {
      text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    } catch (error) {
      throw new JournalError(`cannot read the journal ${path}: ${(error as Error).message}`);
    }
    return { journal: new Journal(path, text === '' || text.endsWith('\n'), Buffer.byteLength(text)), replayed: parseJournal(text) };
  }

  get bytes(): number {
    return this.size;
  }

  /** Opens for appending; called once this app owns the Pod's port. */
  startAppending(): void {
    try {
      this.fd = openSync(this.path, 'a', 0o600);
      // A line cut short by SIGKILL: end it, so the next record starts on a line of its own.
      if (!this.endsCleanly) this.write('\n');
    } catch (error) {
      throw new JournalError(`cannot write the journal ${this.path}: ${(error as Error).message}`);
    }
  }

  append(record: JournalRecord): void {
    this.write(`${JSON.stringify(record)}\n`);
  }

  /** Replaces the journal with `records`, atomically: a SIGKILL leaves the old file or the new one. */
  rewrite(records: JournalRecord[]): void {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const temporary = `${this.path}.compacting`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.path);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(text: string): void {
    if (this.fd === null) throw new JournalError(`the journal ${this.path} is not open for writing`);
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset);
    this.size += bytes.length;
  }
}
