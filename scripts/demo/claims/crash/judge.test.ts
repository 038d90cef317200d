// 5h's judge on synthetic runs: a restart that took the other container
// along, or a new sandbox, each named.
import { expect, test } from 'vitest';
import { judgeRestartAlone, type KillSeen } from './judge.js';

const run = (id: string, startedAt = '2026-12-06T20:00:00Z') => ({ id, startedAt });
const sidecarKilled: KillSeen = { killed: 'sidecar', other: 'app', before: run('containerd://a1'), after: run('containerd://a1') };
const appKilled: KillSeen = { killed: 'app', other: 'sidecar', before: run('containerd://s2'), after: run('containerd://s2') };
const sameSandbox = { before: 'net:[4026532301]', after: 'net:[4026532301]' };

test('each container restarted alone, in one sandbox', () => {
  expect(judgeRestartAlone([sidecarKilled, appKilled], sameSandbox)).toEqual([]);
});

test('a kill that restarted the other container too is named, with both runs', () => {
  const both = { ...sidecarKilled, after: run('containerd://a9', '2026-12-06T20:00:31Z') };
  expect(judgeRestartAlone([both, appKilled], sameSandbox)).toEqual([
    'the SIGKILL of the sidecar restarted the app too: its run went from containerd://a1 (started 2026-12-06T20:00:00Z) to containerd://a9 (started 2026-12-06T20:00:31Z)',
  ]);
  // The same container id, started again (a runtime that reuses ids), counts too.
  expect(judgeRestartAlone([{ ...appKilled, after: run('containerd://s2', '2026-12-06T20:01:00Z') }], sameSandbox)).toHaveLength(1);
});

test('a new sandbox is named: the queues and the emptyDir would not have been the same', () => {
  expect(judgeRestartAlone([sidecarKilled], { before: 'net:[4026532301]', after: 'net:[4026532999]' })).toEqual([
    "the Pod's sandbox was re-created: its network namespace was net:[4026532301], then net:[4026532999]",
  ]);
});
