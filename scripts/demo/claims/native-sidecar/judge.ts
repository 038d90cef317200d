// 5f's judge: the sidecar served before the app's process existed.
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
