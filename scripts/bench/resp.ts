// A minimal Redis client for the bench only: RESP2 commands over one
// net.Socket, replies matched to callbacks in order (Redis answers in order).
import { connect, type Socket } from 'node:net';

export type RespValue = string | number | Buffer | null | RespError | RespValue[];

export class RespError extends Error {}

const CRLF = Buffer.from('\r\n');

/** One command as RESP: an array of bulk strings. */
export function encodeCommand(args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

const INCOMPLETE = Symbol('incomplete');

/** Parses one value at `offset`; returns it and the offset after it, or INCOMPLETE. */
export function parseValue(data: Buffer, offset: number): { value: RespValue; next: number } | typeof INCOMPLETE {
  const lineEnd = data.indexOf(CRLF, offset);
  if (lineEnd < 0) return INCOMPLETE;
  const type = data[offset];
  const line = data.toString('latin1', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case 0x2b: // +
      return { value: line, next: after };
    case 0x2d: // -
      return { value: new RespError(line), next: after };
    case 0x3a: // :
      return { value: Number(line), next: after };
    case 0x24: {
      // $
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (data.length < after + length + 2) return INCOMPLETE;
      return { value: data.subarray(after, after + length), next: after + length + 2 };
    }
    case 0x2a: {
      // *
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = parseValue(data, next);
        if (item === INCOMPLETE) return INCOMPLETE;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new RespError(`unexpected RESP type byte ${type}`);
  }
}

export class RespConnection {
  private readonly callbacks: Array<(value: RespValue) => void> = [];
  private pending: Buffer | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static open(port: number, host = '127.0.0.1'): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => resolve(new RespConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends an already encoded command; `callback` gets its reply (errors included). */
  send(command: Buffer, callback: (value: RespValue) => void): void {
    this.callbacks.push(callback);
    this.socket.write(command);
  }

  call(...args: Array<string | Buffer>): Promise<RespValue> {
    return new Promise((resolve, reject) =>
      this.send(encodeCommand(args), (value) => (value instanceof RespError ? reject(value) : resolve(value))),
    );
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let offset = 0;
    while (offset < data.length) {
      const parsed = parseValue(data, offset);
      if (parsed === INCOMPLETE) break;
      offset = parsed.next;
      const callback = this.callbacks.shift();
      if (!callback) throw new RespError('a reply nobody asked for');
      callback(parsed.value);
    }
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
  }
}
