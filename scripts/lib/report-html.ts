// The report as one self-contained HTML page (artifacts/<run>/report.html),
// to keep, attach to a CI run or open in a browser. It loads nothing: its one
// style sheet is inline and allowed by its hash in a Content-Security-Policy
// that forbids everything else (no script, no image, no request at all).
import { createHash } from 'node:crypto';
import { lifecyclePicture } from '../../apps/shared/lifecycle-picture.js';
import { podPicture, timeline } from './report-picture.js';
import { escapeMarkup, seconds, type ReportJSON } from './report.js';

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #1b1f24; }
h1 { font-size: 1.4em; }
.verdict { font-weight: 600; }
.passed { color: #1a7f37; }
.failed { color: #cf222e; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th:nth-child(1) { width: 6.5em; }
th:nth-child(2) { width: 32%; }
th:nth-child(3) { width: 4.5em; }
th, td { text-align: left; vertical-align: top; padding: .35em .6em; border-bottom: 1px solid #d0d7de; overflow-wrap: anywhere; }
td.time { white-space: nowrap; text-align: right; }
td.passed, td.failed { white-space: nowrap; }
ul { margin: .2em 0; padding-left: 1.2em; }
dt { font-weight: 600; }
dd { margin: 0 0 .5em 1em; font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
`;

/** `saved`: the files a failure left in the run's folder, relative to the page, linked from it. */
export function toHtml(report: ReportJSON, saved: string[] = []): string {
  const failed = report.steps.filter((step) => step.status === 'failed').length;
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  const policy = `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'`;
  const rows = report.steps.map((step) => {
    const problems =
      step.problems.length > 0 ? `<ul>${step.problems.map((problem) => `<li>${escapeMarkup(problem)}</li>`).join('')}</ul>` : '';
    return `<tr><td class="${step.status}">${step.status === 'passed' ? '✔' : '✘'} ${step.status}</td><td>${escapeMarkup(step.name)}</td><td class="time">${seconds(step.ms)}</td><td>${escapeMarkup(step.detail ?? '')}${problems}</td></tr>`;
  });
  const pod = report.namespaces ? `<h2>The Pod, as this run measured it</h2>\n${podPicture(report.namespaces)}\n` : '';
  // In the steps' order (they may finish out of it), each step's Pods in the order it read them.
  const lives = [...report.lifecycles]
    .sort((a, b) => a.label.split('.')[0]!.localeCompare(b.label.split('.')[0]!))
    .map(({ label, lines, until }) => `<h3>${escapeMarkup(label)}</h3>\n${lifecyclePicture(lines, label, until)}\n`);
  const lifecycles =
    lives.length > 0
      ? `<h2>Pods' lives, from their lifecycle records</h2>\n<p>Grey: the container's process runs; green: it serves, until SIGTERM (red); circles: its first health check answered, its drain finished, its stop; an exit without a line was a kill.</p>\n${lives.join('')}`
      : '';
  const facts = Object.entries(report.facts).map(
    ([name, value]) => `<dt>${escapeMarkup(name)}</dt><dd>${escapeMarkup(typeof value === 'string' ? value : JSON.stringify(value))}</dd>`,
  );
  const links = saved.map((file) => `<li><a href="${escapeMarkup(encodeURI(file))}">${escapeMarkup(file)}</a></li>`);
  const logs = links.length > 0 ? `<h2>Saved for reading after the failure</h2>\n<ul class="saved">\n${links.join('\n')}\n</ul>\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeMarkup(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeMarkup(report.title)}</h1>
<p class="verdict ${report.passed ? 'passed' : 'failed'}">${report.steps.length - failed} passed, ${failed} failed in ${seconds(report.elapsedMs)}</p>
<table>
<thead><tr><th>result</th><th>step</th><th>time</th><th>what it showed</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${logs}${pod}${lifecycles}<h2>When each step ran</h2>
${timeline(report.steps, report.elapsedMs)}
<h2>Facts</h2>
<dl>
${facts.join('\n')}
</dl>
</body>
</html>
`;
}
