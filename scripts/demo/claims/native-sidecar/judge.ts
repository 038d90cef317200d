// 5f's judges: the sidecar served before the app's process existed, and
// got SIGTERM only after the app had stopped, as the Pod's lifecycle record
// (and the containers' logs to their exit) say.
import { firstAt, type LifecycleLine } from '../../../../apps/shared/lifecycle.js';

export interface StartOrder {
  /** When the sidecar first answered /healthz (ms), if it ever did. */
  sidecarFirstAnswered: number | undefined;
  /** When the app's process was exec'd (ms). */
  appProcessStarted: number | undefined;
}

/**
 * A native sidecar's promise: the kubelet starts the app only once the
 * sidecar's startup probe has passed. The probe's GET /healthz is then the
 * first the sidecar answers, before the app's process exists; in any other
 * layout the app is already running when the sidecar is first checked.
 */
export function judgeStartOrder(seen: StartOrder): string[] {
  const at = (ms: number) => new Date(ms).toISOString();
  if (seen.appProcessStarted === undefined) return ['the app\'s log has no start (a "starting" line with processStartedAt)'];
  if (seen.sidecarFirstAnswered === undefined) return ['the sidecar never answered a health check: nothing waited for it to be serving'];
  if (seen.sidecarFirstAnswered < seen.appProcessStarted) return [];
  return [
    `the app's process started at ${at(seen.appProcessStarted)}, before the sidecar first answered a health check (${at(seen.sidecarFirstAnswered)}): the kubelet did not wait for a startup probe of the sidecar`,
  ];
}

export interface StopOrder {
  /** When the app finished its drain ("stopped"), if it logged it. */
  appStopped: number | undefined;
  /** When the sidecar got SIGTERM ("stopping"), if it logged it. */
  sidecarStopping: number | undefined;
}

/**
 * The other half of the promise: on the Pod's deletion the kubelet stops the
 * main containers first and a native sidecar only once they have exited, so
 * the app's drain can use its sidecar to the end.
 */
export function judgeStopOrder(seen: StopOrder): string[] {
  const at = (ms: number) => new Date(ms).toISOString();
  if (seen.appStopped === undefined) return ['the app\'s log has no "stopped" line: it never finished its drain before the Pod went'];
  if (seen.sidecarStopping === undefined) return ['the sidecar\'s log has no "stopping" line: it never got SIGTERM'];
  if (seen.sidecarStopping > seen.appStopped) return [];
  return [
    `the sidecar got SIGTERM at ${at(seen.sidecarStopping)}, before the app had stopped (${at(seen.appStopped)}): ` +
      'the kubelet stopped them together, as it does regular containers, not the app first',
  ];
}

/** Both orders from the Pod's lifecycle record: the first time each container had the event. */
export function ordersOf(lines: LifecycleLine[]): { start: StartOrder; stop: StopOrder } {
  return {
    start: { sidecarFirstAnswered: firstAt(lines, 'sidecar', 'first_health_check'), appProcessStarted: firstAt(lines, 'app', 'starting') },
    stop: { appStopped: firstAt(lines, 'app', 'stopped'), sidecarStopping: firstAt(lines, 'sidecar', 'stopping') },
  };
}

/** What the app's "drained" line says of its drain. */
export interface Drain {
  unansweredAtSigterm: number;
  answeredDuringDrain: number;
  unanswered: number;
  /** How long it took, from SIGTERM. */
  ms: number;
  /** What the app had accepted, and how long before SIGTERM the last post came (null: none): why nothing was in flight. */
  acceptedSinceStart?: number;
  lastPostMsBeforeSigterm?: number | null;
}

/**
 * The drain that the stop order is for: messages were in flight at the app's
 * SIGTERM (else the order was not put to the test) and the sidecar, still
 * running, answered them all.
 */
export function judgeDrain(drain: Drain | undefined): string[] {
  if (drain === undefined) return ['the app\'s log has no "drained" line: it did not stop gracefully'];
  if (drain.unansweredAtSigterm === 0) {
    const last = drain.lastPostMsBeforeSigterm;
    const posts =
      drain.acceptedSinceStart === undefined
        ? ''
        : ` (it had accepted ${drain.acceptedSinceStart}, ${typeof last === 'number' ? `the last ${last} ms before SIGTERM` : 'no post at all'})`;
    return [
      `no message was in flight at the app's SIGTERM${posts}: its drain needed no sidecar, so the stop order was not put to the test`,
    ];
  }
  if (drain.unanswered > 0)
    return [
      `the app stopped with ${drain.unanswered} of ${drain.unansweredAtSigterm} messages in flight at SIGTERM unanswered: its sidecar was gone before it`,
    ];
  return [];
}
