// `npm run docs`: writes the pages generated from the code (docs/by-hand.md,
// from the claims' by-hand commands) and the lifecycle pictures of
// docs/lifecycle.md (each drawn from a recorded run's record beside it). A
// test fails while one is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderByHandPage } from './demo/by-hand-page.js';
import { STEPS } from './demo/claims/index.js';
import { lifecyclePictures } from './lib/lifecycle-docs.js';
import { PROJECT_ROOT } from './lib/project.js';

const BY_HAND_PAGE = join(PROJECT_ROOT, 'docs/by-hand.md');

writeFileSync(BY_HAND_PAGE, renderByHandPage(STEPS));
console.log(`wrote ${BY_HAND_PAGE}`);
for (const { file, svg } of lifecyclePictures()) {
  writeFileSync(file, svg);
  console.log(`wrote ${file}`);
}
