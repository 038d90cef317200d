// Listeners held for a while and connections to them, to try directly what a
// shared network namespace allows: TCP ports (one listener per address and
// port, unless every listener sets SO_REUSEPORT under the same UID, when the
// kernel spreads new connections among them) and Unix sockets, abstract
// (a name in the network namespace) or on a path (a file in a mount).
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * Files that two exec'd probes, in two containers of a Pod, use to wait for
 * each other instead of sleeping for a guessed time: under load an exec may
 * take seconds to start. They live where both containers see them (a volume
 * both mount).
 */
export interface Signals {
  /** Written once the listener is bound. */
  ready?: string;
  /** Its appearance ends the hold before `ms`. */
  until?: string;
}

/** Resolves once every file exists, or rejects after `ms` naming the ones that never came. */
export async function waitForFiles(files: string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const missing = files.filter((file) => !existsSync(file));
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`waited ${ms} ms for ${missing.join(', ')}: the probe that writes it did not start or could not bind`);
    await sleep(50);
  }
}

/** Writes `file` for the probes that wait for it, then removes it a second later (they look every 50 ms). */
export async function signal(file: string): Promise<void> {
  writeFileSync(file, '');
  await sleep(1000);
  rmSync(file, { force: true });
}

/** Listens for `ms` (0: bind and let go) or until the `until` file appears, counting accepted connections. */
export function hold(options: ListenOptions, ms: number, signals: Signals = {}): Promise<Held> {
  return new Promise((resolve) => {
    let accepted = 0;
    const server = createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
    // reusePort (SO_REUSEPORT) is why the engines floor is Node 22.12: older ones ignore it.
    server.listen(options, () => {
      const boundAt = Date.now();
      if (signals.ready) writeFileSync(signals.ready, '');
      // Not closed until the listen backlog is empty: connections the kernel
      // completed before the `until` file was written, waiting there while
      // this process was busy, are accepted and counted first (closed from
      // the timer that saw the file, they were reset uncounted: 5m once saw
      // 0 of 40 in one container). Node accepts one connection per turn of
      // its event loop, so the close waits for a turn that accepted none.
      const release = () => {
        let seen = -1;
        const closeWhenQuiet = () => {
          if (accepted !== seen) {
            seen = accepted;
            setImmediate(closeWhenQuiet);
            return;
          }
          server.close(() => {
            // A socket on a path leaves its file behind; an abstract one leaves nothing.
            if (options.path && !options.path.startsWith('\0')) rmSync(options.path, { force: true });
            if (signals.ready) rmSync(signals.ready, { force: true });
            resolve({ ok: true, boundAt, releasedAt: Date.now(), accepted });
          });
        };
        setImmediate(closeWhenQuiet);
      };
      const { until } = signals;
      if (until === undefined || ms === 0) setTimeout(release, ms);
      else void waitForFiles([until], ms).then(release, release);
    });
  });
}

/** One connection's outcome: accepted, or the error (ECONNREFUSED, ENOENT, ETIMEDOUT). */
export interface Connected {
  ok: boolean;
  code?: string;
}

export function connectOnce(options: NetConnectOpts): Promise<Connected> {
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
