// The probe's load against a stand-in app on loopback that accepts every
// message and never processes one: whatever was accepted must come back as
// lost at the deadline, none silently dropped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { load } from '../../apps/probe/load.js';

let server: Server;
let url = '';
let next = 0;
/** The status requests for each id, and when the stand-in starts to say "processed" (none: never). */
const asked = new Map<string, number>();
let processedAfter: number | null = null;
let started = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.method === 'POST') {
      request.resume();
      next += 1;
      response.writeHead(202).end(JSON.stringify({ id: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`, pod: 'stand-in' }));
    } else if (request.url?.endsWith('000000000001')) {
      // The first message's status never comes: a connection to a Pod that has gone.
    } else {
      const id = request.url?.split('/').pop() ?? '';
      asked.set(id, (asked.get(id) ?? 0) + 1);
      const processed = processedAfter !== null && Date.now() - started >= processedAfter;
      response.writeHead(200).end(JSON.stringify(processed ? { state: 'processed', result: null } : { state: 'queued' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('posts paced past the deadline: every accepted message is reported lost, including those accepted after the last round', async () => {
  const result = await load(url, 200, 4, 1500, 'verify', 50);
  expect(result.accepted).toBeGreaterThan(0);
  expect(result.processed).toBe(0);
  expect(result.lost).toHaveLength(result.accepted);
});

test('a status request that never gets an answer is given up and asked again: the load ends at its deadline, not when the connection does', async () => {
  next = 0;
  const result = await load(url, 3, 1, 2000, 'verify', 0);
  expect(result.accepted).toBe(3);
  expect(result.lost).toHaveLength(3);
}, 15_000);

test('a message not processed yet is asked about less and less often, not every round: 3 s queued, asked at most 4 times', async () => {
  next = 1; // past the id whose status never comes
  asked.clear();
  [processedAfter, started] = [3000, Date.now()];
  const result = await load(url, 1, 1, 10_000, 'verify', 0);
  processedAfter = null;
  // Its result is null, not the digest: counted as processed with the wrong result.
  expect(result.processed).toBe(1);
  expect([...asked.values()]).toHaveLength(1);
  expect([...asked.values()][0]).toBeLessThanOrEqual(4);
}, 15_000);
