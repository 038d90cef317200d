// 5r's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeEphemeral } from './judge.js';

test('ephemeral containers: the Pod net and IPC for both, the app pid only with --target; each failure says which', () => {
  const app = { net: 'net:[1]', ipc: 'ipc:[2]', pid: 'pid:[4]' };
  const survey = (pid: string, commands: string[]) => ({
    namespaces: { net: 'net:[1]', ipc: 'ipc:[2]', pid },
    queue: { ok: true },
    loopback: { ok: true },
    processes: commands.map((command, index) => ({ pid: index + 1, command })),
  });
  const targeted = survey('pid:[4]', ['node dist/apps/app/main.js', 'node dist/apps/probe/main.js survey']);
  const alone = survey('pid:[9]', ['node dist/apps/probe/main.js survey']);
  expect(judgeEphemeral({ app, targeted, alone })).toEqual([]);
  expect(judgeEphemeral({ app, targeted: alone, alone: targeted })).toEqual([
    "the debug container with --target app is not in the app's pid namespace (pid:[9], the app's pid:[4]) or does not see its process",
    "the debug container without --target shares the app's pid namespace: it should have its own",
  ]);
  const outsider = {
    ...alone,
    namespaces: { net: 'net:[7]', ipc: 'ipc:[8]', pid: 'pid:[9]' },
    queue: { ok: false, error: 'ENOENT' },
    loopback: { ok: false, code: 'ECONNREFUSED' },
  };
  expect(judgeEphemeral({ app, targeted, alone: outsider })).toEqual([
    "the debug container without --target is in net:[7], not the Pod's net:[1]",
    "the debug container without --target is in ipc:[8], not the Pod's ipc:[2]",
    'the debug container without --target cannot reach the sidecar on 127.0.0.1:9090 (ECONNREFUSED)',
    "the debug container without --target cannot open the Pod's queue: ENOENT",
  ]);
});
