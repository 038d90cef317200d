// The pictures of docs/lifecycle.md: each docs/lifecycle/NAME.json holds a
// Pod's lifecycle record from a recorded run (and says which), drawn to
// NAME.svg beside it by `npm run docs`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LifecycleLine } from '../../apps/shared/lifecycle.js';
import { lifecyclePicture } from '../../apps/shared/lifecycle-picture.js';
import { PROJECT_ROOT } from './project.js';

const FOLDER = join(PROJECT_ROOT, 'docs/lifecycle');

interface Recorded {
  /** The run it comes from: command, commit, cluster, date. */
  recorded: string;
  /** Whose life: the step and the Pod. */
  pod: string;
  lines: LifecycleLine[];
}

/** Each recorded record's picture and where it goes. */
export function lifecyclePictures(): { file: string; svg: string }[] {
  return readdirSync(FOLDER)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const { pod, lines } = JSON.parse(readFileSync(join(FOLDER, name), 'utf8')) as Recorded;
      return { file: join(FOLDER, name.replace(/\.json$/, '.svg')), svg: `${lifecyclePicture(lines, pod)}\n` };
    });
}
