// Load for the real services, run inside the namespaces:
// `node app-load.js <json {appUrl, count, window, payload, budgetMs}>`.
// POSTs `count` messages with `window` in flight (a 503 is retried: the queue
// was full), then waits until the app has received every reply (its
// podmates_app_processed_total). Prints {accepted, retried, processed, seconds,
// cpuSeconds}: the load generator's own CPU time is reported apart from the services'.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { makePayload } from './protocol.js';

interface LoadPlan {
  appUrl: string;
  count: number;
  window: number;
  payload: number;
  budgetMs: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const agent = new Agent({ keepAlive: true, maxSockets: plan.window });
const body = Buffer.from(JSON.stringify({ text: makePayload(plan.payload).toString('utf8') }));
const deadline = Date.now() + plan.budgetMs;

function call(method: string, path: string, data?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {};
    const req = request(`${plan.appUrl}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function processed(): Promise<number> {
  const metrics = await call('GET', '/metrics');
  const match = /^podmates_app_processed_total (\d+)/m.exec(metrics.text);
  return match ? Number(match[1]) : 0;
}

const before = await processed();
const started = process.hrtime.bigint();
let accepted = 0;
let retried = 0;
let next = 0;
async function lane(): Promise<void> {
  while (next < plan.count && Date.now() < deadline) {
    next += 1;
    for (;;) {
      const answer = await call('POST', '/messages', body);
      if (answer.status === 202) break;
      if (answer.status !== 503) throw new Error(`POST /messages answered ${answer.status}: ${answer.text}`);
      retried += 1;
      await sleep(1);
    }
    accepted += 1;
  }
}
await Promise.all(Array.from({ length: plan.window }, lane));
let done = (await processed()) - before;
while (done < accepted && Date.now() < deadline) {
  await sleep(10);
  done = (await processed()) - before;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ accepted, retried, processed: done, seconds, cpuSeconds })}\n`, () => process.exit(0));
