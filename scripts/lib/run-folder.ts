// Where one demo run leaves what it saw: artifacts/<label>-<time>/, with its
// report (report.html, report.json) and, when something failed, the logs and
// descriptions saved beside it, which the report links to.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './project.js';

export function runFolder(label: string): string {
  return join(PROJECT_ROOT, 'artifacts', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/** Every file under `folder`, relative to it, sorted; none when it does not exist. */
export function filesIn(folder: string): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
      .sort();
  } catch {
    return [];
  }
}
