// The demo's second Pod (manifests/overlays/probe): outside the app's Pod, it
// looks at it from elsewhere and sends it traffic that outlives its containers.
import type { LoadResult } from '../../apps/probe/contract.js';
import type { Kube } from '../lib/kube.js';
import { manifestPath } from '../lib/manifests.js';

export const PROBE_POD = 'podmates-probe';

/** Made once, in step 4, beside the base Pod; every step that looks from outside uses it. */
export async function startProbePod(kube: Kube): Promise<void> {
  await kube.apply(manifestPath('overlays/probe'));
  await kube.inNamespace(['wait', '--for=condition=Ready', `pod/${PROBE_POD}`, '--timeout=90s'], { timeoutMs: 100_000 });
}

/**
 * Starts the probe's `load` in the probe Pod against `appUrl`: clients that
 * retry while the app is down, then verify every accepted message. The posts
 * are spread over `overMs`, so that the load spans what the step does
 * meanwhile however fast the machine is.
 */
export function startLoad(kube: Kube, appUrl: string, count: number, overMs: number, timeoutMs: number): Promise<LoadResult> {
  const perSecond = Math.ceil((count * 1000) / overMs);
  return kube.probe(PROBE_POD, 'probe', {}, timeoutMs + 30_000).load(appUrl, count, 8, timeoutMs, 'verify', perSecond);
}

/**
 * Posts to `appUrl` from the probe Pod at `perSecond` until the app refuses
 * for shutting down (SIGTERM) or goes: messages are then in flight when its
 * drain begins. What it accepted is the caller's to check.
 */
export function postUntilShutdown(kube: Kube, appUrl: string, perSecond: number, timeoutMs: number): Promise<LoadResult> {
  return kube.probe(PROBE_POD, 'probe', {}, timeoutMs + 30_000).load(appUrl, 1_000_000, 4, timeoutMs, 'until-shutdown', perSecond);
}
