// Where a demo run leaves its report besides the terminal: report.html and
// report.json in the run's folder (scripts/lib/run-folder.ts) every run, the
// HTML linking to the logs saved there on failure; a copy of the page
// (--html) and JUnit XML (--junit) on request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { toHtml } from './report-html.js';
import { toJUnit, type Report } from './report.js';
import { filesIn } from './run-folder.js';

export function saveReport(report: Report, files: { folder: string; html?: string; junit?: string }): string {
  const json = report.toJSON();
  const saved = filesIn(files.folder).filter((file) => !file.startsWith('report.'));
  mkdirSync(files.folder, { recursive: true });
  const page = join(files.folder, 'report.html');
  writeFileSync(page, toHtml(json, saved));
  writeFileSync(join(files.folder, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
  const copy = files.html;
  if (copy) mkdirSync(dirname(copy), { recursive: true });
  if (copy)
    writeFileSync(
      copy,
      toHtml(
        json,
        saved.map((file) => relative(dirname(copy), join(files.folder, file))),
      ),
    );
  if (files.junit) writeFileSync(files.junit, toJUnit(json));
  process.stderr.write(`\nreport: ${relative(process.cwd(), page) || page}\n`);
  return page;
}
