// The compose Pod's start and stop order, read from its lifecycle record
// (apps/shared/lifecycle.ts) and judged by 5f's judges where compose promises
// what a native sidecar gives: `up` starts the app only once the sidecar's
// healthcheck has passed (depends_on with condition: service_healthy), and
// `stop` stops the app before the sidecar ("Compose always starts and stops
// containers in dependency order", docs.docker.com/compose/how-tos/startup-order/).
// Whether compose waits for the app to exit before it stops the sidecar is
// measured and said, not judged: the documentation does not promise it.
import { firstAt, LIFECYCLE_RECORD } from '../../apps/shared/lifecycle.js';
import { judgeStartOrder, judgeStopOrder, ordersOf } from './claims/native-sidecar/judge.js';
import { assertCheck } from '../lib/check-failed.js';
import type { ComposePod } from '../lib/compose-pod.js';
import type { RunNotes } from '../lib/report.js';

// 5f's judges name the kubelet; under compose, this is what made the app wait.
const START_HINT =
  "compose started the app without waiting for the sidecar's healthcheck: the app's `depends_on: sidecar` needs " +
  '`condition: service_healthy`, and the sidecar a `healthcheck` (docker-compose.yml)';

/** What a Pod has and compose has not, for the report. */
const COMPOSE_CANNOT =
  'What compose cannot do here: no native sidecar (an init container with restartPolicy: Always: the kubelet starts it ' +
  "before the app and stops it after the app, its own order for the Pod's whole life; compose orders containers only while " +
  '`up`, `stop` or `down` runs, and Docker restarts a container (`restart:`) regardless of the others); no Job (a compose ' +
  'project has no completion: the nearest, `up --exit-code-from app`, stops every container as soon as any one exits)';

/** Reads the record through the app's probe while the Pod runs, draws it and judges the start. */
export async function composeStartOrder(pod: ComposePod, notes: RunNotes): Promise<string> {
  const record = await pod.probe('app').lifecycle(LIFECYCLE_RECORD);
  // Drawn whatever the verdict: a wrong order is what the picture is for.
  notes.lifecycle('compose: the Pod as `up` started it', record, new Date().toISOString());
  const { start } = ordersOf(record);
  const problems = judgeStartOrder(start);
  assertCheck('start order', problems.length > 0 ? [...problems, START_HINT] : []);
  const sidecarStarted = firstAt(record, 'sidecar', 'starting');
  return (
    `the sidecar answered compose's healthcheck ${start.sidecarFirstAnswered! - sidecarStarted!} ms after its process started; ` +
    `the app's process started ${start.appProcessStarted! - start.sidecarFirstAnswered!} ms after that`
  );
}

/**
 * Stops the Pod as `docker-compose stop` (and `down`, which stops first)
 * does, then reads the record from the `shared` volume, which outlives the
 * containers, draws the Pod's whole life and judges the stop.
 */
export async function composeStopOrder(pod: ComposePod, notes: RunNotes): Promise<string> {
  const asked = Date.now();
  await pod.stop();
  const stopMs = Date.now() - asked;
  const record = await pod.probeVolumesOf('sidecar').lifecycle(LIFECYCLE_RECORD);
  notes.lifecycle('compose: the Pod from `up` to `stop`', record);
  const { stop } = ordersOf(record);
  assertCheck('stop order', judgeStopOrder(stop));
  const appSigterm = firstAt(record, 'app', 'stopping')!;
  const sidecarAfterExit = stop.sidecarStopping! - (await pod.exitedAt('app'));
  const waited =
    sidecarAfterExit > 0
      ? `${sidecarAfterExit} ms after the app's container had exited (compose waited for it)`
      : `${-sidecarAfterExit} ms before the app's container had exited (compose did not wait for it)`;
  return (
    `\`stop\` took ${stopMs} ms: the app got SIGTERM first and had stopped ${stop.appStopped! - appSigterm} ms later; ` +
    `the sidecar got its SIGTERM ${waited}. ${COMPOSE_CANNOT}`
  );
}
