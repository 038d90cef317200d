// Listeners held for a while and connections to them, to try directly what a
// shared network namespace allows: TCP ports (one listener per address and
// port, unless every listener sets SO_REUSEPORT under the same UID, when the
// kernel spreads new connections among them) and Unix sockets, abstract
// (a name in the network namespace) or on a path (a file in a mount).
import { rmSync } from 'node:fs';
import { connect, createServer, type ListenOptions, type NetConnectOpts } from 'node:net';

export interface Held {
  ok: boolean;
  /** The bind error (EADDRINUSE, ENOENT) when ok is false. */
  code?: string;
  boundAt?: number;
  releasedAt?: number;
  /** Connections this listener accepted while it held its address. */
  accepted?: number;
}

/** reusePort (SO_REUSEPORT) came in Node 22.12, after the @types/node this project pins for Node 20. */
export type Listen = ListenOptions & { reusePort?: boolean };

/** Listens for `ms` (0: bind and let go), counting accepted connections. */
export function hold(options: Listen, ms: number): Promise<Held> {
  return new Promise((resolve) => {
    let accepted = 0;
    const server = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
    // reusePort needs Node >= 22.12 (the images run 24); older ones ignore it.
    server.listen(options, () => {
      const boundAt = Date.now();
      setTimeout(
        () =>
          server.close(() => {
            // A socket on a path leaves its file behind; an abstract one leaves nothing.
            if (options.path && !options.path.startsWith('\0')) rmSync(options.path, { force: true });
            resolve({ ok: true, boundAt, releasedAt: Date.now(), accepted });
          }),
        ms,
      );
    });
  });
}

/** One connection: accepted, or the error (ECONNREFUSED, ENOENT). */
export function connectOnce(options: NetConnectOpts): Promise<{ ok: boolean; code?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ ...options, timeout: 2000 }, () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, code: 'ETIMEDOUT' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
  });
}

/** `count` connections one after another; how many were accepted. */
export async function connectMany(options: NetConnectOpts, count: number): Promise<{ connected: number; failed: string[] }> {
  const failed: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { ok, code } = await connectOnce(options);
    if (!ok) failed.push(code!);
  }
  return { connected: count - failed.length, failed };
}

/** "@name" is the abstract address "\0name" (Linux): no file, only a name in the network namespace. */
export const unixPath = (address: string): string => (address.startsWith('@') ? `\0${address.slice(1)}` : address);
