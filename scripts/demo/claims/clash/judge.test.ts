// 5g's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeClash } from './judge.js';

test('clash: passes only on the documented exit code with the log line', () => {
  const line = 'cannot listen on 0.0.0.0:8080: address already in use; another container in the same Pod';
  expect(judgeClash({ exitCode: 98, output: line, port: 8080 }, 98)).toEqual([]);
  expect(judgeClash({ exitCode: 0, output: '', port: 8080 }, 98)).toEqual([
    'the clashing container did not fail (exit code 0): port 8080 is not held by another process of the same network namespace',
    'the clashing container\'s log does not say "address already in use" for port 8080 (last line: none)',
  ]);
  expect(judgeClash({ exitCode: 1, output: line, port: 8080 }, 98)).toEqual([
    'the clashing container exited with 1, expected 98 (port in use)',
  ]);
});
