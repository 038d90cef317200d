// The demo's list of steps and --only, without a cluster.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { chooseSteps } from '../../scripts/demo/runner.js';
import { STEPS } from '../../scripts/demo/steps/index.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';

test('the steps are 5a, 5b, ... in order, one file each, with distinct ids', () => {
  const ids = STEPS.map((step) => step.id);
  expect(ids).toEqual([...'abcdefghijklmnopqrs'].map((letter) => `5${letter}`));
  const files = readdirSync(join(PROJECT_ROOT, 'scripts/demo/steps')).filter((name) => name !== 'index.ts');
  expect(files.map((name) => name.slice(0, 2))).toEqual(ids);
});

test('--only picks steps by letter, keeps their order, and refuses unknown letters', () => {
  expect(chooseSteps(STEPS, undefined).map((step) => step.id)).toHaveLength(STEPS.length);
  expect(chooseSteps(STEPS, 'db').map((step) => step.id)).toEqual(['5b', '5d']);
  expect(() => chooseSteps(STEPS, 'bz')).toThrow('--only takes letters of the steps abcdefghijklmnopqrs, got "bz"');
  expect(() => chooseSteps(STEPS, '')).toThrow(/--only takes letters/);
});
