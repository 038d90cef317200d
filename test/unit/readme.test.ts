// The two front doors, English and Chinese, say the same things: the same demo
// steps, the same commands, and links that lead somewhere.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { STEPS } from '../../scripts/demo/claims/index.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const FRONT_DOORS = ['README.md', 'README.zh-CN.md'];

const steps = (text: string) => [...text.matchAll(/^- \*\*(5[a-z])\*\*/gm)].map((match) => match[1]);
/** Every npm command, in code blocks and inline code, with its comment dropped. */
const commands = (text: string) =>
  [...new Set([...text.matchAll(/(?:`|^)((?:sudo )?npm [^`#\n]+?)\s*(?:`|#|$)/gm)].map((match) => match[1]!.trim()))].sort();
const links = (text: string) =>
  [...text.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));

test('both front doors list the same demo steps, in order, and the same commands', () => {
  const [english, chinese] = FRONT_DOORS.map(read);
  expect(steps(english!).length).toBeGreaterThanOrEqual(10);
  expect(steps(chinese!)).toEqual(steps(english!));
  expect(commands(english!)).toContain('npm install && npm run demo');
  expect(commands(chinese!)).toEqual(commands(english!));
});

test('the front doors and docs/demo.md list every step the demo runs, in its order', () => {
  for (const file of ['README.md', 'docs/demo.md']) expect(steps(read(file)), file).toEqual(STEPS.map((step) => step.id));
});

test('every relative link in the READMEs and docs/ points at a file that exists', () => {
  const files = [
    ...FRONT_DOORS,
    ...readdirSync(join(PROJECT_ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const broken = files.flatMap((file) =>
    links(read(file))
      .filter((target) => !existsSync(join(PROJECT_ROOT, dirname(file), target)))
      .map((target) => `${file} -> ${target}`),
  );
  expect(broken).toEqual([]);
});

test('the English front door stays a front door: about 10 KB at most', () => {
  expect(Buffer.byteLength(read('README.md'))).toBeLessThan(11 * 1024);
});

test('both front doors have the same sections, the same links and the same broken cases', () => {
  const [english, chinese] = FRONT_DOORS.map(read) as [string, string];
  const sections = (text: string) => [...text.matchAll(/^## /gm)].length;
  expect(sections(chinese)).toBe(sections(english));
  // Each links to the other; every other link is the same.
  const others = (text: string) => [...new Set(links(text).filter((target) => !FRONT_DOORS.includes(target)))].sort();
  expect(others(chinese)).toEqual(others(english));
  // The list of what `npm test` breaks, one thing at a time.
  const broken = (text: string, opening: string, separator: string) => {
    const start = text.indexOf(opening);
    expect(start, `the broken cases' list opening with ${JSON.stringify(opening)}`).toBeGreaterThan(-1);
    const list = text.slice(start + opening.length, text.indexOf(opening.endsWith('(') ? ')' : '）', start + opening.length));
    return list.split(separator).length;
  };
  expect(broken(chinese, '每次破坏一处（', '、')).toBe(broken(english, 'breaks one thing at a time (', ','));
});
