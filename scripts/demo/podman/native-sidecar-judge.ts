// What `podman kube play` does with manifests/overlays/native-sidecar: the
// sidecar as an init container with `restartPolicy: Always` and a startup
// probe. Podman 4 has no native sidecars: it refuses an init container with
// probes or lifecycle hooks (and would wait for one without them to exit,
// which a sidecar never does).
import type { Output } from '../../lib/commands.js';

/** The line of kube play's refusal, and problems when it did not refuse, or refused for another reason. */
export function judgeNativeSidecarRefused(played: Output): { problems: string[]; said: string } {
  const said = (played.stderr || played.stdout).trim().split('\n').at(-1) ?? '';
  if (played.exitCode === 0)
    return {
      problems: [
        'kube play took the native-sidecar overlay (an init container with restartPolicy: Always): this Podman may run native sidecars; see what it does with them',
      ],
      said,
    };
  if (!/init container/.test(said))
    return { problems: [`kube play failed, but not on the init container: ${said || `exit ${played.exitCode}`}`], said };
  return { problems: [], said };
}
