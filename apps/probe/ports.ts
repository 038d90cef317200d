// The port rule of a shared network namespace, tried directly: one listener
// per address and port, unless every listener sets SO_REUSEPORT under the same
// UID, in which case the kernel spreads new connections among them.
import { connect, createServer } from 'node:net';

export interface Held {
  ok: boolean;
  /** The bind error (EADDRINUSE) when ok is false. */
  code?: string;
  boundAt?: number;
  releasedAt?: number;
  /** Connections this listener accepted while it held the port. */
  accepted?: number;
}

/** Listens on host:port for `ms` (0: bind and let go), counting accepted connections. */
export function hold(host: string, port: number, ms: number, reusePort: boolean): Promise<Held> {
  return new Promise((resolve) => {
    let accepted = 0;
    const server = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
    // reusePort needs Node >= 22.12 (the images run 24); older ones ignore it.
    server.listen({ host, port, reusePort }, () => {
      const boundAt = Date.now();
      setTimeout(() => server.close(() => resolve({ ok: true, boundAt, releasedAt: Date.now(), accepted })), ms);
    });
  });
}

/** `count` connections one after another; how many were accepted. */
export async function connectMany(host: string, port: number, count: number): Promise<{ connected: number; failed: string[] }> {
  const failed: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const error = await new Promise<string | null>((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(null);
      });
      socket.once('error', (cause: NodeJS.ErrnoException) => resolve(cause.code ?? cause.message));
    });
    if (error) failed.push(error);
  }
  return { connected: count - failed.length, failed };
}
