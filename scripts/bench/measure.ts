// The measuring loops, the same for every Node channel: round trips with one
// message in flight, then a window of messages in flight.
import type { PayloadResult, RunPlan } from './protocol.js';
import type { Transport } from './channels/transport.js';

/** Round trips one after the other; each sample in ns. Stops early at `deadline` (Date.now()). */
export function latencyRun(transport: Transport, payload: Buffer, count: number, deadline: number): Promise<number[]> {
  return new Promise((resolve) => {
    const samples: number[] = [];
    let started = 0n;
    const next = () => {
      if (samples.length >= count || Date.now() > deadline) {
        resolve(samples);
        return;
      }
      started = process.hrtime.bigint();
      transport.send(payload);
    };
    transport.onReply = () => {
      samples.push(Number(process.hrtime.bigint() - started));
      next();
    };
    next();
  });
}

/** `count` messages with up to `window` in flight; the messages answered and the seconds it took. */
export function windowRun(
  transport: Transport,
  payload: Buffer,
  count: number,
  window: number,
  deadline: number,
): Promise<{ messages: number; seconds: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const started = process.hrtime.bigint();
    const finish = () => resolve({ messages: received, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    transport.onReply = () => {
      received += 1;
      if (sent < count && Date.now() <= deadline) {
        sent += 1;
        transport.send(payload);
      } else if (received === sent) {
        finish();
      }
    };
    if (count === 0) return finish();
    for (; sent < Math.min(window, count); sent++) transport.send(payload);
  });
}

/** Warm-up (thrown away), the latency run, the throughput run, for each payload of the plan. */
export async function measure(transport: Transport, plan: RunPlan, makePayload: (size: number) => Buffer): Promise<PayloadResult[]> {
  const deadline = Date.now() + plan.budgetMs;
  const results: PayloadResult[] = [];
  for (const size of plan.payloads) {
    const payload = makePayload(size);
    await latencyRun(transport, payload, plan.warmup, deadline);
    await windowRun(transport, payload, plan.warmup, plan.window, deadline);
    const latencyNs = await latencyRun(transport, payload, plan.latencyCount, deadline);
    const throughput = await windowRun(transport, payload, plan.throughputCount, plan.window, deadline);
    const truncated = latencyNs.length < plan.latencyCount || throughput.messages < plan.throughputCount;
    results.push({ payload: size, latencyNs, throughput, truncated });
  }
  return results;
}
