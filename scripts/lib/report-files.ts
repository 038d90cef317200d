// Where a demo run leaves its report besides the terminal: an HTML page every
// run (the last run's, under artifacts/ unless --html says where), and JUnit
// XML on request (--junit).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { toHtml } from './report-html.js';
import { toJUnit, type Report } from './report.js';

export function saveReport(report: Report, files: { html: string; junit?: string }): void {
  const json = report.toJSON();
  mkdirSync(dirname(files.html), { recursive: true });
  writeFileSync(files.html, toHtml(json));
  process.stderr.write(`\nreport: ${relative(process.cwd(), files.html) || files.html}\n`);
  if (files.junit) writeFileSync(files.junit, toJUnit(json));
}
