// A step that changes its Pods runs them in a Deployment of its own beside the
// base one, so it cannot disturb the steps that read the base Pod, and the
// steps can run side by side (scripts/demo/runner.ts). It is the base or an
// overlay, renamed podmates-<step id> with a Service of its own
// (scripts/lib/manifests.ts: renamed).
import { join } from 'node:path';
import { saveKubeArtifacts, type Kube } from '../lib/kube.js';
import { NAME_LABEL, type ContainerEnv } from '../lib/manifests.js';
import type { Progress } from '../lib/report.js';
import type { OwnDeployment } from './context.js';

/** `folder`: the run's (scripts/lib/run-folder.ts); a failed step's logs go to <folder>/<step id>. */
export function ownDeployment(kube: Kube, stepId: string, folder: string): OwnDeployment {
  const name = `podmates-${stepId}`;
  const selector = `${NAME_LABEL}=${name}`;
  return {
    name,
    selector,
    deploy: async (directory: string, progress: Progress, env?: ContainerEnv) => {
      await kube.apply(directory, name, env);
      progress(`waiting for the rollout of deployment/${name}`);
      await kube.rollout(name, 180);
      return kube.podByLabel(selector);
    },
    deployNoWait: (directory: string) => kube.apply(directory, name),
    remove: async (failed: boolean, wait: boolean) => {
      // Its Pods go with it: keep what tells why it failed.
      if (failed) await saveKubeArtifacts(kube, join(folder, stepId));
      await kube.deleteApp(name, wait);
    },
  };
}
