// An SVG of memory over time during the soak: one line per series, dashed
// lines for the containers' memory limits. Pure string building.

export interface Series {
  label: string;
  color: string;
  /** [seconds since start, MiB] */
  points: Array<[number, number]>;
}

export interface Limit {
  label: string;
  color: string;
  mib: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function memoryChart(title: string, series: Series[], limits: Limit[]): string {
  const width = 760;
  const height = 380;
  const margin = { left: 60, right: 230, top: 40, bottom: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const maxT = Math.max(1, ...series.flatMap((s) => s.points.map(([t]) => t)));
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map(([, mib]) => mib)), ...limits.map((limit) => limit.mib)) * 1.1;
  const x = (t: number) => margin.left + (t / maxT) * plotW;
  const y = (mib: number) => margin.top + plotH - (mib / maxY) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="22" font-size="14">${escape(title)}</text>`,
    `<line x1="${margin.left}" y1="${y(0)}" x2="${margin.left + plotW}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${y(0)}" stroke="#333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">minutes</text>`,
    `<text x="14" y="${margin.top + plotH / 2}" transform="rotate(-90 14 ${margin.top + plotH / 2})" text-anchor="middle">MiB</text>`,
  ];
  const yStep = maxY > 400 ? 100 : 50;
  for (let mib = 0; mib <= maxY; mib += yStep) {
    parts.push(`<text x="${margin.left - 6}" y="${y(mib) + 4}" text-anchor="end">${mib}</text>`);
    parts.push(`<line x1="${margin.left}" y1="${y(mib)}" x2="${margin.left + plotW}" y2="${y(mib)}" stroke="#eee"/>`);
  }
  const tStep = maxT > 600 ? 120 : 60;
  for (let t = 0; t <= maxT; t += tStep) parts.push(`<text x="${x(t)}" y="${y(0) + 16}" text-anchor="middle">${t / 60}</text>`);
  let legendY = margin.top;
  const legend = (label: string, color: string, dashed: boolean) => {
    parts.push(
      `<line x1="${width - margin.right + 16}" y1="${legendY}" x2="${width - margin.right + 40}" y2="${legendY}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${width - margin.right + 46}" y="${legendY + 4}">${escape(label)}</text>`);
    legendY += 20;
  };
  for (const limit of limits) {
    parts.push(
      `<line x1="${margin.left}" y1="${y(limit.mib)}" x2="${margin.left + plotW}" y2="${y(limit.mib)}" stroke="${limit.color}" stroke-dasharray="6 4"/>`,
    );
    legend(limit.label, limit.color, true);
  }
  for (const s of series) {
    const path = s.points.map(([t, mib], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(mib).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    legend(s.label, s.color, false);
  }
  parts.push('</svg>', '');
  return parts.join('\n');
}
