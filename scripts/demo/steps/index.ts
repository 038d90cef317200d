// The demo's claims, in the order it checks them: one file each, named
// 5<letter>-<what>.ts and exporting `step`. Adding a step is adding a file
// here; this list finds it (the letter gives its place in the run).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Step } from '../context.js';

const folder = dirname(fileURLToPath(import.meta.url));
// .js when built, .ts under vitest; never the .d.ts or .map files beside them.
const files = readdirSync(folder)
  .filter((name) => /^5[a-z]-[\w-]+\.(js|ts)$/.test(name) && !name.endsWith('.d.ts'))
  .sort();

export const STEPS: readonly Step[] = await Promise.all(
  files.map(async (name) => {
    const { step } = (await import(pathToFileURL(join(folder, name)).href)) as { step?: Step };
    if (!step || step.id !== name.slice(0, 2))
      throw new Error(`scripts/demo/steps/${name} must export \`step\` with id ${name.slice(0, 2)}`);
    return step;
  }),
);
