// One posix-mq scenario in a process of its own, run by
// test/unit/posix-mq-patch.test.ts with the patched addon (node_modules) and
// with a build of the published source: the published one spins, misses events
// or crashes, which no test runner should do in its own process. Prints one
// JSON line: what happened, and the CPU time the process used meanwhile.
//
//   node --experimental-strip-types posix-mq-scenario.ts PACKAGE_DIR SCENARIO QUEUE_NAME
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

interface RawQueue extends EventEmitter {
  open(config: { name: string; create?: boolean; mode?: string; maxmsgs?: number; msgsize?: number }): void;
  close(): void;
  unlink(): void;
  push(data: Buffer): boolean;
  shift(buffer: Buffer): number | false;
}

const [packageDir, scenario, name] = process.argv.slice(2) as [string, string, string];
const PosixMQ = createRequire(import.meta.url)(packageDir) as new () => RawQueue;
const MAX = 10;
const message = Buffer.from('hello');

function openQueue(): RawQueue {
  const queue = new PosixMQ();
  queue.open({ name, create: true, mode: '0600', maxmsgs: MAX, msgsize: 64 });
  return queue;
}

/** Every handle a scenario waits on stays reachable: one the garbage collector closed would stop its poll. */
const held: RawQueue[] = [];

function open(): RawQueue {
  const queue = openQueue();
  held.push(queue);
  return queue;
}

/** Resolves true when `event` comes within `ms`, false otherwise. */
function within(queue: RawQueue, event: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    queue.once(event, () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Voluntary context switches of the main thread: each is a wake-up after the loop slept. */
function wakeUps(): number {
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync('/proc/thread-self/status', 'utf8'))?.[1]);
}

/** Runs `body`, measuring the CPU time (ms) and wake-ups of this process meanwhile. */
async function measured<T>(body: () => Promise<T>): Promise<T & { cpuMs: number; wakeUps: number }> {
  const [cpu, woke] = [process.cpuUsage(), wakeUps()];
  const result = await body();
  const used = process.cpuUsage(cpu);
  return { ...result, cpuMs: Math.round((used.user + used.system) / 1000), wakeUps: wakeUps() - woke };
}

const scenarios: Record<string, () => Promise<object>> = {
  /** A producer leaves a message in the queue and waits for nothing: it should sleep. */
  async 'idle-producer'() {
    const producer = open();
    producer.push(message);
    return measured(async () => {
      await sleep(1000);
      return {};
    });
  },

  /** A consumer that opens an empty queue, into which a message comes before its first poll. */
  async 'opened-empty'() {
    const consumer = open();
    const producer = open();
    const received = within(consumer, 'messages', 1000);
    producer.push(message);
    return measured(async () => ({ received: await received }));
  },

  /** A producer that opens a full queue, finds it full, and waits for room a consumer makes. */
  async 'opened-full'() {
    const filler = open();
    while (filler.push(message));
    const producer = open();
    const pushed = producer.push(message);
    const drained = within(producer, 'drain', 1000);
    filler.shift(Buffer.alloc(64));
    return measured(async () => ({ pushedWhenFull: pushed, drained: await drained }));
  },

  /** A consumer whose handle nothing in JavaScript holds any more, only its listener. */
  async 'listener-only'() {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc');
    let received = false;
    openQueue().on('messages', () => (received = true));
    gc();
    await nextTurn();
    gc();
    open().push(message);
    await sleep(500);
    return { received };
  },

  /** Handles closed and collected at once, before libuv has finished closing them. */
  async 'close-then-collect'() {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc');
    for (let i = 0; i < 200; i++) {
      openQueue().close();
      gc();
      await nextTurn();
    }
    return { survived: true };
  },
};

const run = scenarios[scenario];
if (!run) throw new Error(`no scenario ${scenario}: ${Object.keys(scenarios).join(', ')}`);
const result = await run();
console.log(JSON.stringify(result));
const cleanup = new PosixMQ();
cleanup.open({ name });
cleanup.unlink();
// Exit now: the published addon's spinning poll would keep the process alive.
process.exit(0);
