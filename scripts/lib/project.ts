import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from scripts/lib/ in the source tree or dist/scripts/lib/ when built. */
export const PROJECT_ROOT = fileURLToPath(
  new URL(import.meta.url.includes('/dist/scripts/lib/') ? '../../../' : '../../', import.meta.url),
);

/** What `npm run build` writes: the services, the probe and the scripts, as JavaScript. */
export const DIST = join(PROJECT_ROOT, 'dist');

/** The project's version, which is also the tag of its images. */
export const PROJECT_VERSION: string = (JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string }).version;

/**
 * A `NAME=value` pin from one of the project's shell scripts, with `${OTHER}`
 * references to other pins of the same file expanded, so TypeScript and the
 * scripts can never disagree about a version or a tag.
 */
export function readShellPin(file: string, name: string): string {
  const text = readFileSync(`${PROJECT_ROOT}/${file}`, 'utf8');
  const value = (pin: string): string => {
    const found = text.match(new RegExp(`^(?:readonly )?${pin}=(\\S+)$`, 'm'))?.[1];
    if (!found) throw new Error(`cannot read ${pin} from ${file}`);
    return found
      .replace(/^"(.*)"$/, '$1')
      .replace(/\$\{([A-Z_]+)\}/g, (_, inner: string) => value(inner))
      .replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1');
  };
  return value(name);
}
