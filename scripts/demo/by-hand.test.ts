// The by-hand page and its judge, without a cluster: the page is what the
// claims' commands render to, and a command whose output does not show what
// the page says fails with the command and its output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { PROJECT_ROOT } from '../lib/project.js';
import { explainByHand, judgeByHand } from './by-hand.js';
import { renderByHandPage } from './by-hand-page.js';
import { STEPS } from './claims/index.js';

test('docs/by-hand.md is what the claims render to (after changing one, run `npm run docs`)', () => {
  expect(readFileSync(join(PROJECT_ROOT, 'docs/by-hand.md'), 'utf8')).toBe(renderByHandPage(STEPS));
});

test('every claim has commands, each saying what it shows', () => {
  for (const step of STEPS) {
    expect(step.byHand.commands.length, step.id).toBeGreaterThan(0);
    for (const command of step.byHand.commands) expect(command.see, step.id).toMatch(/\.$/);
  }
});

test('a command whose output does not show what the page says fails, naming the step, the command and what it printed', () => {
  const command = { see: 'The sidecar answers.', run: 'probe app http GET http://127.0.0.1:9090/healthz', shows: /"status":200/ };
  expect(judgeByHand('5b', command, '{"status":200}')).toBeNull();
  expect(judgeByHand('5b', command, 'error: unable to upgrade connection: container not found ("app")')).toBe(
    '5b: `probe app http GET http://127.0.0.1:9090/healthz` printed:\nerror: unable to upgrade connection: container not found ("app")\nwhich does not match /"status":200/',
  );
});

test("--explain prints what each command shows, the command, and how to get back to the demo's Pod", () => {
  const text = explainByHand({
    claim: 'c',
    commands: [{ see: 'It shows.', run: 'probe app ns', shows: /./ }],
    restore: 'kubectl apply -k manifests/base',
  });
  expect(text).toBe("# It shows.\nprobe app ns\n# and back to the demo's Pod\nkubectl apply -k manifests/base");
});
