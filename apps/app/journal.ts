// The app's journal: one JSON record per line, appended to a file in the Pod's
// emptyDir volume. A container's own filesystem dies with the container; an
// emptyDir lives as long as the Pod, like the Pod's IPC namespace and so the
// queues. What the app accepted and what came back survive a SIGKILL of either
// container, and go away with the Pod, together with the queues they describe.
//
// A record is written with write(2) before the message can reach the sidecar.
// Once that returns, the bytes are the kernel's: a SIGKILL of the process
// cannot lose them. There is no fsync: a node crash can lose the last writes,
// but it also takes the Pod's queues and the Pod itself.
//
// A full or failing disk never tears the file or stops the app: a write that
// fails is cut back to the last whole record, the journal turns unhealthy
// (the app then refuses new messages and is not Ready), and the caller tries
// a rewrite later (`rewrite`), which makes it healthy again once it succeeds.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExitError } from '../shared/exit-codes.js';
import { formatRecords, parseJournal, type JournalRecord, type Replayed } from './journal-records.js';

export class JournalError extends ExitError {
  constructor(message: string) {
    super(ExitCode.cantCreate, 'journal_unavailable', message);
  }
}

const reasonOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

export class Journal {
  private fd: number | null = null;
  private size: number;
  /** Null while every write succeeds; else the last error, until a rewrite succeeds. */
  private failure: string | null = null;

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
      throw new JournalError(
        `STATE_DIR ${dir} does not exist: mount the Pod's emptyDir volume there, or point STATE_DIR at a writable folder`,
      );
    }
    const path = join(dir, 'journal.jsonl');
    let text: string;
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

  get healthy(): boolean {
    return this.failure === null;
  }

  get error(): string | null {
    return this.failure;
  }

  /**
   * Opens for appending; called once this app owns the Pod's port. A journal
   * that cannot be opened leaves the app running but unhealthy: it answers
   * what it knows and accepts nothing until a rewrite succeeds.
   */
  startAppending(): void {
    try {
      this.fd = openSync(this.path, 'a', 0o600);
      // A line cut short by a crash: end it, so the next record starts on a line of its own.
      if (!this.endsCleanly) this.write('\n');
    } catch (error) {
      this.failure ??= `cannot write the journal ${this.path}: ${reasonOf(error)}`;
    }
  }

  /** Appends one record; throws JournalError (and stays unhealthy) when it cannot be written whole. */
  append(record: JournalRecord): void {
    if (this.failure !== null) throw new JournalError(this.failure);
    this.write(`${JSON.stringify(record)}\n`);
  }

  /**
   * Replaces the journal with `records`, atomically: the new file is written
   * and opened beside the old one, then renamed over it. On any failure the
   * old file and descriptor stay in use, and JournalError is thrown; on
   * success the journal is healthy again.
   */
  rewrite(records: JournalRecord[]): void {
    const temporary = `${this.path}.compacting`;
    let fd: number | null = null;
    try {
      fd = openSync(temporary, 'w', 0o600);
      const bytes = Buffer.from(formatRecords(records), 'utf8');
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
      closeSync(fd);
      fd = openSync(temporary, 'a', 0o600);
      renameSync(temporary, this.path);
    } catch (error) {
      try {
        if (fd !== null) closeSync(fd);
        rmSync(temporary, { force: true });
      } catch {
        // Whatever is in the way stays; the old journal is still the one in use.
      }
      throw new JournalError(`cannot rewrite the journal ${this.path}: ${reasonOf(error)}`);
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = fd;
    this.size = fstatSync(fd).size;
    this.failure = null;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(text: string): void {
    if (this.fd === null) throw new JournalError(`the journal ${this.path} is not open for writing`);
    const bytes = Buffer.from(text, 'utf8');
    try {
      for (let offset = 0; offset < bytes.length;) offset += writeSync(this.fd, bytes, offset);
      this.size += bytes.length;
    } catch (error) {
      // A short write (ENOSPC mid-record) left a fragment: cut it off, so the
      // next record cannot be glued to it. If even that fails, stay unhealthy:
      // only a rewrite writes again.
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // Unhealthy either way; the rewrite replaces the file.
      }
      this.failure = `cannot write the journal ${this.path}: ${reasonOf(error)}`;
      throw new JournalError(this.failure);
    }
  }
}
