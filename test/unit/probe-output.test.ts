// A probe's output read from a container's log: the result, whatever log
// lines a probe that is the container's main process wrote beside it.
import { expect, test } from 'vitest';
import { readProbeOutput } from '../../apps/probe/client.js';

test("the result is read without the probe's own start and exit lines", () => {
  const result = { pushed: 3 };
  const log = [
    '{"ts":"2026-12-06T21:00:00.300Z","level":"info","service":"probe","event":"starting","pid":1,"processStartedAt":"2026-12-06T21:00:00.000Z"}',
    JSON.stringify(result),
    '{"ts":"2026-12-06T21:00:02.000Z","level":"info","service":"probe","event":"exiting","code":0}',
    '',
  ].join('\n');
  expect(readProbeOutput('mqPush', log)).toEqual(result);
  expect(readProbeOutput('mqPush', `${JSON.stringify(result)}\n`)).toEqual(result);
  // Anything else around the result is not hidden: it makes the read fail.
  expect(() => readProbeOutput('mqPush', `probe: boom\n${JSON.stringify(result)}\n`)).toThrow();
});
