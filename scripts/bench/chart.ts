// An SVG of the round-trip latency distributions: one panel per payload size,
// cumulative fraction (in nines) against latency on a log scale. Pure string building.
import { channelInfo, type ChannelName } from './channels/index.js';
import { formatBytes } from './report.js';
import type { Where } from './sides.js';

export interface Curve {
  channel: ChannelName;
  /** Where it ran: the compose Pod's curves are dashed, in their channel's colour. */
  where?: Where;
  points: Array<[number, number]>;
}

const DASHES: Record<Where, string> = { box: '', compose: ' stroke-dasharray="5 3"', kind: ' stroke-dasharray="1.5 2.5"' };

/** The top of the y axis: 99.99 %. */
const NINES = 4;

/** 1 µs, 10 µs, 100 µs, 1 ms, 10 ms, 100 ms, 1 s, 10 s. */
export function tickLabel(us: number): string {
  if (us >= 1e6) return `${us / 1e6} s`;
  if (us >= 1e3) return `${us / 1e3} ms`;
  return `${us} µs`;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function latencyChart(panels: Array<{ payload: number; curves: Curve[] }>, title: string): string {
  const width = 760;
  const panelHeight = 300;
  const margin = { left: 60, right: 220, top: 40, bottom: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = panelHeight - margin.top - margin.bottom;
  const all = panels.flatMap((panel) => panel.curves.flatMap((curve) => curve.points.map(([us]) => us))).filter((us) => us > 0);
  const lo = Math.floor(Math.log10(Math.min(...all, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...all, 10)));
  const x = (us: number) => margin.left + ((Math.log10(Math.max(us, 10 ** lo)) - lo) / (hi - lo)) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${panelHeight * panels.length + 20}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${margin.left}" y="18" font-size="14">${escape(title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = 20 + index * panelHeight;
    // "Nines" scale: 0.9, 0.99, 0.999 evenly spaced, so the tail is as visible as the body.
    const nines = (fraction: number) => Math.min(NINES, -Math.log10(Math.max(1 - fraction, 10 ** -NINES)));
    const y = (fraction: number) => top + margin.top + (1 - nines(fraction) / NINES) * plotH;
    out.push(
      `<text x="${margin.left}" y="${top + margin.top - 8}">payload ${formatBytes(panel.payload)}: fraction of round trips at or below a latency (1 in flight)</text>`,
    );
    out.push(`<rect x="${margin.left}" y="${top + margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
    for (let exp = lo; exp <= hi; exp++) {
      const px = x(10 ** exp).toFixed(1);
      out.push(`<line x1="${px}" x2="${px}" y1="${top + margin.top}" y2="${top + margin.top + plotH}" stroke="#eee"/>`);
      out.push(`<text x="${px}" y="${top + margin.top + plotH + 16}" text-anchor="middle">${tickLabel(10 ** exp)}</text>`);
    }
    for (const fraction of [0, 0.9, 0.99, 0.999, 0.9999]) {
      const py = y(fraction).toFixed(1);
      out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py}" y2="${py}" stroke="#eee"/>`);
      out.push(`<text x="${margin.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${fraction}</text>`);
    }
    const legend = (i: number, stroke: string, dash: string, label: string) => {
      const ly = top + margin.top + 10 + i * 18;
      out.push(
        `<line x1="${width - margin.right + 14}" x2="${width - margin.right + 34}" y1="${ly}" y2="${ly}" stroke="${stroke}" stroke-width="3"${dash}/>`,
      );
      out.push(`<text x="${width - margin.right + 40}" y="${ly}" dominant-baseline="middle">${escape(label)}</text>`);
    };
    let entries = 0;
    const elsewhere = new Set<Where>();
    for (const curve of panel.curves) {
      const path = curve.points.map(([us, fraction], j) => `${j === 0 ? 'M' : 'L'}${x(us).toFixed(1)},${y(fraction).toFixed(1)}`).join(' ');
      // A channel's row from a Pod is its colour, dashed (compose) or dotted (kind): one legend entry says so for all.
      const where = curve.where ?? 'box';
      const { label, colour } = channelInfo(curve.channel);
      out.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.6"${DASHES[where]}/>`);
      if (where === 'box') legend(entries++, colour, '', label);
      else elsewhere.add(where);
    }
    for (const where of elsewhere)
      legend(entries++, '#555', DASHES[where], `${where === 'kind' ? 'dotted' : 'dashed'}: in the ${where} Pod`);
  });
  out.push('</svg>');
  return out.join('\n');
}
