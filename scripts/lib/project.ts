import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, from scripts/lib/ in the source tree or dist/scripts/lib/ when built. */
export const PROJECT_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/scripts/lib/') ? '../../../' : '../../', import.meta.url));

/** The project's version, which is also the tag of its images. */
export const PROJECT_VERSION: string = (JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string }).version;
