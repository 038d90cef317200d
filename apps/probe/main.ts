// A small CLI shipped with the services and run *inside* a Pod's namespaces
// (nsenter, docker exec, kubectl exec) to look at the Pod from within: it makes
// HTTP requests, opens queues and TCP ports, and prints one JSON result.
// It exits 0 whenever it could run its command and the verdict is the caller's,
// except `health`, which is for exec probes: exit 0 only on a 2xx answer.
import { connect } from 'node:net';
import { readNamespaces } from '../shared/namespaces.js';
import { probeQueue } from '../shared/message-queue.js';
import { httpJson, roundTrip } from './round-trip.js';

const USAGE = `usage:
  probe http <METHOD> <url> [json-body] [content-type]
  probe roundtrip <app-url> <count> [timeout-ms] [pace-ms]
  probe mq-open <queue-name> <max-messages> <message-size>
  probe connect <host> <port>
  probe ns
  probe health <url>`;

function tcpConnect(host: string, port: number): Promise<{ ok: boolean; code?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
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

function openQueue(name: string, maxMessages: number, messageSize: number): { ok: boolean; depth?: number; error?: string } {
  try {
    return { ok: true, ...probeQueue({ name, maxMessages, messageSize }) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

async function run(args: string[]): Promise<unknown> {
  const [command, ...rest] = args;
  const int = (value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`expected a whole number, got ${JSON.stringify(value)}\n${USAGE}`);
    return parsed;
  };
  switch (command) {
    case 'http': {
      const [method, url, body, type] = rest;
      if (!method || !url) break;
      return httpJson(method, url, body, type);
    }
    case 'roundtrip': {
      const [url, count, timeout, pace] = rest;
      if (!url) break;
      return roundTrip(url, int(count), timeout === undefined ? 60_000 : int(timeout), pace === undefined ? 0 : int(pace));
    }
    case 'mq-open': {
      const [name, maxMessages, messageSize] = rest;
      if (!name) break;
      return openQueue(name, int(maxMessages), int(messageSize));
    }
    case 'connect': {
      const [host, port] = rest;
      if (!host) break;
      return tcpConnect(host, int(port));
    }
    case 'ns':
      return { pid: process.pid, namespaces: await readNamespaces() };
    case 'health': {
      const [url] = rest;
      if (!url) break;
      const answer = await httpJson('GET', url).catch((error: Error) => ({ status: 0, error: error.message }));
      if (answer.status < 200 || answer.status > 299) process.exitCode = 1;
      return answer;
    }
  }
  throw new Error(USAGE);
}

run(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`probe: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
