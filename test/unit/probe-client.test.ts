import { expect, test } from 'vitest';
import { AnswerLost, probeClient, type ProbeRunner } from '../../apps/probe/client.js';

/** A runner whose first run loses its answer, as a cut kubectl exec stream does; the words of every run. */
function losingFirstAnswer(answer: unknown): { run: ProbeRunner; runs: string[][] } {
  const runs: string[][] = [];
  const run: ProbeRunner = (words) => {
    runs.push(words);
    return runs.length === 1 ? Promise.reject(new AnswerLost("exit 0 without the probe's answer")) : Promise.resolve(answer);
  };
  return { run, runs };
}

test('a verb that only reads is asked again when its answer was lost', async () => {
  const { run, runs } = losingFirstAnswer({ pid: 7, namespaces: {} });
  await expect(probeClient(run).ns()).resolves.toEqual({ pid: 7, namespaces: {} });
  expect(runs).toEqual([['ns'], ['ns']]);
});

test('a verb that changes something is not run twice: the lost answer fails the call', async () => {
  const { run, runs } = losingFirstAnswer({ pushed: 1 });
  await expect(probeClient(run).mqPush('/podmates.requests', 10, 4096, 1, 'x')).rejects.toThrow("exit 0 without the probe's answer");
  expect(runs).toHaveLength(1);
});

test('http is asked again for a GET, not for a POST', async () => {
  const get = losingFirstAnswer({ status: 200, body: {} });
  await expect(probeClient(get.run).http('GET', 'http://10.244.0.9:8080/pod')).resolves.toEqual({ status: 200, body: {} });
  expect(get.runs).toHaveLength(2);
  const post = losingFirstAnswer({ status: 202, body: {} });
  await expect(probeClient(post.run).http('POST', 'http://10.244.0.9:8080/messages', '{"text":"x"}')).rejects.toThrow(AnswerLost);
  expect(post.runs).toHaveLength(1);
});

test('a reading verb waiting on handshake files is not run twice either', async () => {
  const { run, runs } = losingFirstAnswer({ ok: true });
  await expect(probeClient(run, { ready: '/shared/x-ready' }).connect('127.0.0.1', 9090)).rejects.toThrow(AnswerLost);
  expect(runs).toHaveLength(1);
});

test('other failures are not retried', async () => {
  const runs: string[][] = [];
  const failing: ProbeRunner = (words) => {
    runs.push(words);
    return Promise.reject(new Error('kubectl exec failed (exit 1)'));
  };
  await expect(probeClient(failing).ns()).rejects.toThrow('exit 1');
  expect(runs).toHaveLength(1);
});
