// A Pod's life as SVG, drawn from its lifecycle record (lifecycle.ts), for
// the demo's HTML report and the app's live page: one lane per container, a
// grey bar while its process runs, a green one while it serves (ready until
// SIGTERM), marks for the first health check, SIGTERM, the end of the drain
// and the exit. A run that ends without an exit line was killed (SIGKILL
// leaves no line); the next run of the same container is a restart.
// Presentation attributes only, as both pages' policies require.
import type { LifecycleLine } from './lifecycle.js';
import { escapeMarkup } from './markup.js';

/** One process of a container: from its start to its exit, or to the next start, or to the record's end. */
export interface Run {
  container: string;
  start: number;
  ready: number | null;
  stopping: number | null;
  end: number;
  /** The exit code, null when the run ended without an exit line (killed) or had not ended. */
  code: number | null;
  /** True when the record ends with it still running. */
  running: boolean;
  /** The other lines of the run: first health check, drained, stopped. */
  marks: { at: number; event: LifecycleLine['event'] }[];
}

/**
 * The record as runs, lanes in the order their container first started, times
 * in ms; to `until` (when it was last looked at), if later than its last line.
 */
export function runsOf(lines: LifecycleLine[], until?: string): { containers: string[]; runs: Run[]; from: number; to: number } {
  const sorted = [...lines].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const from = sorted.length > 0 ? Date.parse(sorted[0]!.ts) : 0;
  const to = Math.max(sorted.length > 0 ? Date.parse(sorted.at(-1)!.ts) : 0, until === undefined ? 0 : Date.parse(until));
  const containers: string[] = [];
  const runs: Run[] = [];
  const open = new Map<string, Run>();
  for (const line of sorted) {
    const at = Date.parse(line.ts);
    if (!containers.includes(line.container)) containers.push(line.container);
    let run = open.get(line.container);
    if (line.event === 'starting' || run === undefined) {
      // A start while a run is open: that run was killed without a line.
      if (run) run.end = at;
      run = { container: line.container, start: at, ready: null, stopping: null, end: to, code: null, running: true, marks: [] };
      open.set(line.container, run);
      runs.push(run);
      if (line.event === 'starting') continue;
    }
    if (line.event === 'ready') run.ready = at;
    else if (line.event === 'stopping') run.stopping = at;
    else if (line.event === 'exiting') {
      run.end = at;
      run.code = line.code ?? null;
      open.delete(line.container);
    } else run.marks.push({ at, event: line.event });
  }
  for (const run of runs) run.running = open.get(run.container) === run;
  return { containers, runs, from, to };
}

const WIDTH = 720;
const LABEL = 90;
const LANE = 34;
const GREY = '#8c959f';
const GREEN = '#2da44e';
const RED = '#cf222e';
const INK = '#1b1f24';
const MARK_LABEL: Record<string, string> = {
  first_health_check: 'first health check answered',
  drained: 'drain finished',
  stopped: 'stopped',
};

/**
 * Where a time is drawn. A record whose shutdown comes long after the last
 * start-up line (seconds of serving, then a stop in a few hundred ms) is
 * drawn with that stretch cut out, each side on its own scale: else the stop
 * order would be a few pixels wide.
 */
function timeScale(
  lines: LifecycleLine[],
  from: number,
  to: number,
): { x: (at: number) => number; gap: { from: number; to: number } | null } {
  const [left, right] = [LABEL, WIDTH - 40];
  const linear = (at: number, t0: number, t1: number, x0: number, x1: number) =>
    x0 + ((Math.min(Math.max(at, t0), t1) - t0) / Math.max(t1 - t0, 1)) * (x1 - x0);
  const times = lines.map((line) => ({ at: Date.parse(line.ts), event: line.event }));
  const firstStop = Math.min(...times.filter((t) => t.event === 'stopping').map((t) => t.at));
  const lastBefore = Math.max(from, ...times.filter((t) => t.at < firstStop).map((t) => t.at));
  const quiet = firstStop - lastBefore;
  if (!Number.isFinite(firstStop) || quiet < 0.5 * (to - from)) return { x: (at) => linear(at, from, to, left, right), gap: null };
  // A margin of a tenth of the quiet stretch on each side, so the marks near the cut stay visible.
  const gap = { from: lastBefore + quiet / 10, to: firstStop - quiet / 10 };
  const middle = (left + right) / 2;
  return {
    x: (at) =>
      at <= gap.from ? linear(at, from, gap.from, left, middle - 15) : at >= gap.to ? linear(at, gap.to, to, middle + 15, right) : middle,
    gap,
  };
}

/** The timeline of one Pod's record; `label` says whose (for the picture's accessible name); `until` as for runsOf. */
export function lifecyclePicture(lines: LifecycleLine[], label: string, until?: string): string {
  const { containers, runs, from, to } = runsOf(lines, until);
  const scale = timeScale(lines, from, to);
  const x = (at: number) => scale.x(at).toFixed(1);
  const ms = (at: number) => `+${at - from} ms`;
  const laneY = (container: string) => 10 + containers.indexOf(container) * LANE;
  const parts: string[] = containers.map(
    (container) => `<text x="4" y="${laneY(container) + 15}" font-weight="bold">${escapeMarkup(container)}</text>`,
  );
  for (const run of runs) {
    const y = laneY(run.container);
    const tag = `data-container="${escapeMarkup(run.container)}"`;
    const ended = run.running
      ? 'still running when last looked at'
      : run.code === null
        ? 'killed (no exit line) before the restart at'
        : `exited ${run.code}`;
    parts.push(
      `<rect ${tag} data-event="starting" data-ms="${run.start - from}" x="${x(run.start)}" y="${y + 4}" width="${Math.max(2, Number(x(run.end)) - Number(x(run.start))).toFixed(1)}" height="14" fill="${GREY}">` +
        `<title>${escapeMarkup(`${run.container}: started ${ms(run.start)}, ${ended} ${ms(run.end)}`)}</title></rect>`,
    );
    if (run.ready !== null) {
      const until = run.stopping ?? run.end;
      parts.push(
        `<rect ${tag} data-event="ready" data-ms="${run.ready - from}" x="${x(run.ready)}" y="${y + 4}" width="${Math.max(2, Number(x(until)) - Number(x(run.ready))).toFixed(1)}" height="14" fill="${GREEN}">` +
          `<title>${escapeMarkup(`${run.container}: serving from ${ms(run.ready)} until ${run.stopping === null ? 'its end' : `SIGTERM ${ms(run.stopping)}`}`)}</title></rect>`,
      );
    }
    if (run.stopping !== null)
      parts.push(
        `<path ${tag} data-event="stopping" data-ms="${run.stopping - from}" d="M${x(run.stopping)} ${y} v22" stroke="${RED}" stroke-width="3">` +
          `<title>${escapeMarkup(`${run.container}: SIGTERM ${ms(run.stopping)}`)}</title></path>`,
      );
    for (const mark of run.marks)
      parts.push(
        `<circle ${tag} data-event="${mark.event}" data-ms="${mark.at - from}" cx="${x(mark.at)}" cy="${y + 11}" r="4" fill="#fff" stroke="${INK}">` +
          `<title>${escapeMarkup(`${run.container}: ${MARK_LABEL[mark.event] ?? mark.event} ${ms(mark.at)}`)}</title></circle>`,
      );
    if (!run.running)
      parts.push(
        `<text ${tag} data-event="${run.code === null ? 'killed' : 'exiting'}" data-ms="${run.end - from}" x="${Number(x(run.end)) + 3}" y="${y + 30}" font-size="10" fill="${run.code === 0 ? INK : RED}">${run.code === null ? '✕ killed' : `exit ${run.code}`}</text>`,
      );
  }
  const height = 10 + containers.length * LANE + (scale.gap ? 36 : 24);
  const axisY = 10 + containers.length * LANE + 14;
  const tick = (at: number, anchor: string, dx = 0) =>
    `<text x="${(scale.x(at) + dx).toFixed(1)}" y="${axisY}" font-size="10" text-anchor="${anchor}">${Math.round(at - from)} ms</text>`;
  let axis = tick(from, 'start') + tick(to, 'end');
  if (scale.gap) {
    const [left, right] = [scale.x(scale.gap.from), scale.x(scale.gap.to)];
    // The cut: a white band over the lanes, and below it how long it hides.
    axis +=
      tick(scale.gap.from, 'end', -4) +
      tick(scale.gap.to, 'start', 4) +
      `<rect x="${left.toFixed(1)}" y="4" width="${(right - left).toFixed(1)}" height="${axisY - 14}" fill="#fff" stroke="${GREY}" stroke-dasharray="3 3"/>` +
      `<text x="${((left + right) / 2).toFixed(1)}" y="${axisY + 12}" font-size="10" text-anchor="middle">${((scale.gap.to - scale.gap.from) / 1000).toFixed(1)} s cut</text>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeMarkup(`${label}: each container's life from the Pod's lifecycle record`)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="ui-monospace, monospace" font-size="12">
${parts.join('\n')}
${axis}
</svg>`;
}
