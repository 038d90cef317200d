import { expect, test } from 'vitest';
import type { NamespaceIds } from '../../../apps/shared/namespaces.js';
import { judgeRestart, type Restart } from './restart-judge.js';

const ns = (ipc: string) => ({ net: 'net:[1]', ipc }) as NamespaceIds;
const at = (ms: number) => new Date(Date.parse('2026-12-07T09:00:00Z') + ms).toISOString();
const killedAt = Date.parse(at(1000));
const startedAt = Date.parse(at(1600));
const restart = (overrides: Partial<Restart> = {}): Restart => ({
  before: ns('ipc:[2]'),
  after: ns('ipc:[2]'),
  killedAt,
  startedAt,
  delivered: [
    { id: 'a', sentAt: at(900), processedAt: at(905) },
    { id: 'b', sentAt: at(1200), processedAt: at(1700) },
  ],
  ...overrides,
});

test('a sidecar back in the same namespaces, with what was sent meanwhile processed after, passes', () => {
  expect(judgeRestart(restart())).toEqual({ problems: [], waited: 1 });
});

test('a sidecar in another IPC namespace is named', () => {
  expect(judgeRestart(restart({ after: ns('ipc:[9]') })).problems).toEqual([
    "the restarted sidecar is in ipc:[9], not ipc:[2]: it did not rejoin the Pod's ipc namespace",
  ]);
});

test('a message processed while the sidecar was down is named', () => {
  const delivered = [{ id: 'b', sentAt: at(1200), processedAt: at(1300) }];
  expect(judgeRestart(restart({ delivered })).problems).toEqual([
    '1 messages were processed before the sidecar restarted: impossible unless another consumer exists',
  ]);
});

test('a restart with nothing sent while it was down proves nothing, and says so', () => {
  expect(judgeRestart(restart({ delivered: [] })).problems).toEqual(['no message was accepted during the 600 ms the sidecar was down']);
});
