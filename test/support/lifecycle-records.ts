// A native-sidecar Pod's lifecycle record from start to deletion, as the two
// containers write it (times from a real 5f run, rounded), and the same with
// the containers' parts swapped: the app first up and first stopped, as with
// no startup probe and regular containers. The judges, the picture and the
// report's browser test read both.
import type { LifecycleEvent, LifecycleLine } from '../../apps/shared/lifecycle.js';

const T0 = Date.parse('2026-12-06T21:00:00.000Z');

const LIFE: [container: 'app' | 'sidecar', event: LifecycleEvent, ms: number, code?: number][] = [
  ['sidecar', 'starting', 0],
  ['sidecar', 'ready', 420],
  ['sidecar', 'first_health_check', 1000],
  ['app', 'starting', 1500],
  ['app', 'ready', 2100],
  ['app', 'first_health_check', 2600],
  ['app', 'stopping', 12_000],
  ['app', 'drained', 12_050],
  ['app', 'stopped', 12_080],
  ['app', 'exiting', 12_090, 0],
  ['sidecar', 'stopping', 12_200],
  ['sidecar', 'stopped', 12_600],
  ['sidecar', 'exiting', 12_610, 0],
];

function record(swap: boolean): LifecycleLine[] {
  return LIFE.map(([container, event, ms, code]) => ({
    ts: new Date(T0 + ms).toISOString(),
    container: swap ? (container === 'app' ? 'sidecar' : 'app') : container,
    event,
    pid: container === 'app' ? 14 : 7,
    ...(code === undefined ? {} : { code }),
  }));
}

export const NATIVE_SIDECAR_LIFE = record(false);
export const REVERSED_LIFE = record(true);
