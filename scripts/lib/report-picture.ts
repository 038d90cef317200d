// The pictures of the HTML report, as inline SVG (no script, no style sheet
// of their own: presentation attributes only, which the page's policy
// allows): the Pod as the run measured it, and when each step ran.
import { escapeMarkup, seconds, type StepResult } from './report.js';

/** What step 5a saw: each container's /proc/self/ns entries, e.g. { net: 'net:[4026532512]' }. */
export interface MeasuredNamespaces {
  app: Record<string, string>;
  sidecar: Record<string, string>;
}

const SHARED = '#2da44e';
const SEPARATE = '#8c959f';
const text = (x: number, y: number, content: string, extra = '') => `<text x="${x}" y="${y}"${extra}>${escapeMarkup(content)}</text>`;

/**
 * The Pod as a box, the two containers as columns, one row a namespace: a
 * green bar across both columns where they share it (one inode, held by the
 * sandbox), two grey bars where each has its own.
 */
export function podPicture(seen: MeasuredNamespaces): string {
  const kinds = Object.keys(seen.app).filter((kind) => kind in seen.sidecar);
  const row = 26;
  const height = 70 + kinds.length * row + 20;
  const bars = kinds.map((kind, i) => {
    const y = 62 + i * row;
    const [app, sidecar] = [seen.app[kind]!, seen.sidecar[kind]!];
    if (app === sidecar) {
      return (
        `<rect x="20" y="${y}" width="600" height="20" rx="4" fill="${SHARED}"/>` +
        text(30, y + 15, `${kind}: shared, ${app}`, ' fill="#fff"')
      );
    }
    return (
      `<rect x="20" y="${y}" width="290" height="20" rx="4" fill="${SEPARATE}"/>` +
      text(30, y + 15, app, ' fill="#fff"') +
      `<rect x="330" y="${y}" width="290" height="20" rx="4" fill="${SEPARATE}"/>` +
      text(340, y + 15, sidecar, ' fill="#fff"')
    );
  });
  return `<svg role="img" aria-label="The Pod's namespaces as measured: shared ones span both containers" viewBox="0 0 640 ${height}" width="640" height="${height}" font-family="ui-monospace, monospace" font-size="12">
<rect x="2" y="2" width="636" height="${height - 4}" rx="10" fill="none" stroke="#1b1f24" stroke-width="2"/>
${text(16, 24, 'Pod: a green bar is one namespace both containers are in, grey bars one each', ' font-weight="bold"')}
${text(20, 50, 'app container', ' font-weight="bold"')}${text(330, 50, 'sidecar container', ' font-weight="bold"')}
${bars.join('\n')}
</svg>`;
}

/** Each step as a bar from its start: the ones that ran side by side overlap. */
export function timeline(steps: StepResult[], elapsedMs: number): string {
  const row = 16;
  const width = 640;
  const label = 60;
  const scale = (width - label - 10) / Math.max(elapsedMs, 1);
  const bars = steps.map((step, i) => {
    const y = 6 + i * row;
    // The step's number (5g), or for a step without one (the compose demo's own) its first words, cut to fit.
    const id = /^(\d+[a-z]?)\. /.exec(step.name)?.[1] ?? step.name.split(':')[0]!.slice(0, 9);
    const x = label + step.startMs * scale;
    return (
      text(4, y + 11, id) +
      `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(2, step.ms * scale).toFixed(1)}" height="${row - 4}" rx="2" fill="${step.status === 'passed' ? SHARED : '#cf222e'}"><title>${escapeMarkup(`${step.name}: ${seconds(step.ms)}`)}</title></rect>`
    );
  });
  const height = 12 + steps.length * row;
  return `<svg role="img" aria-label="When each step ran, from the start of the run (${seconds(elapsedMs)})" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="ui-monospace, monospace" font-size="11">
${bars.join('\n')}
</svg>`;
}
