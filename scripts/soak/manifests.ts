// What the soak takes from manifests/base, so that it runs and judges the
// services as the Pod does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { PROJECT_ROOT } from '../lib/project.js';

/** The containers' memory limits, in MiB. */
export function manifestLimits(): Record<string, number> {
  const deployment = parseDocument(readFileSync(join(PROJECT_ROOT, 'manifests/base/deployment.yaml'), 'utf8')).toJS() as {
    spec: { template: { spec: { containers: Array<{ name: string; resources: { limits: { memory: string } } }> } } };
  };
  return Object.fromEntries(deployment.spec.template.spec.containers.map((c) => [c.name, Number.parseInt(c.resources.limits.memory, 10)]));
}

/** The ConfigMap's NODE_OPTIONS: the heap cap both containers run with. */
export function manifestNodeOptions(): string | undefined {
  const config = parseDocument(readFileSync(join(PROJECT_ROOT, 'manifests/base/configmap.yaml'), 'utf8')).toJS() as {
    data: Record<string, string>;
  };
  return config.data.NODE_OPTIONS;
}
