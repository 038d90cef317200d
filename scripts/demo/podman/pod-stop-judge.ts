// `podman pod stop` read from the Pod's lifecycle record: Podman runs no
// preStop and signals the containers together, as the kubelet does regular
// containers without one; the sidecar, watching the app, answers until the
// app has finished (apps/sidecar), so nothing in the app's drain is lost.
import { firstAt, type LifecycleLine } from '../../../apps/shared/lifecycle.js';

export interface PodStop {
  /** When `podman pod stop` was asked (ms). */
  asked: number;
  /** The preStop sleep the manifest gives each container (s). */
  preStopSeconds: number;
  record: LifecycleLine[];
}

export interface PodStopVerdict {
  problems: string[];
  /** ms from the ask to each SIGTERM, and from the app's stop to the sidecar's. */
  appSigterm?: number;
  sidecarSigterm?: number;
  sidecarAfterApp?: number;
}

export function judgePodStop({ asked, preStopSeconds, record }: PodStop): PodStopVerdict {
  // The first such line since the ask: a restart before it wrote some too.
  const after = (container: string, event: 'stopping' | 'stopped') =>
    firstAt(
      record.filter((line) => Date.parse(line.ts) >= asked),
      container,
      event,
    );
  const problems: string[] = [];
  const sigterm = { app: after('app', 'stopping'), sidecar: after('sidecar', 'stopping') };
  for (const [container, at] of Object.entries(sigterm)) {
    if (at === undefined) problems.push(`the ${container} has no "stopping" line after \`pod stop\`: it never got SIGTERM`);
    else if (at - asked >= preStopSeconds * 1000)
      problems.push(
        `the ${container} got SIGTERM ${at - asked} ms after \`pod stop\`, not at once: something ran its preStop (sleep ${preStopSeconds} s), which Podman 4 ignores`,
      );
  }
  const stopped = { app: after('app', 'stopped'), sidecar: after('sidecar', 'stopped') };
  if (stopped.app === undefined) problems.push('the app has no "stopped" line: it never finished its drain');
  if (stopped.sidecar === undefined) problems.push('the sidecar has no "stopped" line: it never finished');
  else if (stopped.app !== undefined && stopped.sidecar < stopped.app)
    problems.push(
      `the sidecar stopped ${stopped.app - stopped.sidecar} ms before the app had finished its drain: its watch of the app did not keep it answering`,
    );
  return {
    problems,
    ...(sigterm.app === undefined ? {} : { appSigterm: sigterm.app - asked }),
    ...(sigterm.sidecar === undefined ? {} : { sidecarSigterm: sigterm.sidecar - asked }),
    ...(stopped.app === undefined || stopped.sidecar === undefined ? {} : { sidecarAfterApp: stopped.sidecar - stopped.app }),
  };
}
