// Rendering the kustomizations in manifests/ the way `kubectl apply -k` does.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { run } from './commands.js';
import { PROJECT_ROOT } from './project.js';

const kustomizationsIn = (folder: string) =>
  readdirSync(join(PROJECT_ROOT, 'manifests', folder))
    .sort()
    .map((name) => `${folder}/${name}`);

/** The base, every overlay in manifests/overlays/ and every Job in manifests/jobs/: the tests check each one, whichever step deploys it. */
export const KUSTOMIZATIONS: readonly string[] = ['base', ...kustomizationsIn('overlays'), ...kustomizationsIn('jobs')];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export function manifestPath(kustomization: string): string {
  return join(PROJECT_ROOT, 'manifests', kustomization);
}

/** `kubectl kustomize` output for a kustomization directory. */
export async function renderText(directory: string): Promise<string> {
  return (await run(['kubectl', 'kustomize', directory])).stdout;
}

/** The objects a kustomization directory renders to. */
export async function renderDirectory(directory: string): Promise<K8sObject[]> {
  return parseAllDocuments(await renderText(directory)).map((document) => document.toJS() as K8sObject);
}

export async function render(kustomization: string): Promise<K8sObject[]> {
  return renderDirectory(manifestPath(kustomization));
}

/** The label the Deployment and the Service select the Pods by. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/**
 * The objects with the Deployment and the Service renamed to `name`, and the
 * Pods' NAME_LABEL, which both select on, set to it: a copy that runs beside
 * the original, with a Service of its own. The rest (Namespace, ConfigMap) is
 * left as it is, shared with the original.
 */
export function renamed(objects: readonly K8sObject[], name: string): K8sObject[] {
  const copy = structuredClone(objects) as K8sObject[];
  for (const object of copy) {
    type Selector = { matchLabels?: Record<string, string> };
    const spec = object.spec as
      | {
          selector?: Record<string, unknown>;
          template?: {
            metadata?: { labels?: Record<string, string> };
            spec?: { topologySpreadConstraints?: Array<{ labelSelector?: Selector }> };
          };
        }
      | undefined;
    if (object.kind === 'Deployment') {
      object.metadata.name = name;
      (spec!.selector as { matchLabels: Record<string, string> }).matchLabels[NAME_LABEL] = name;
      spec!.template!.metadata!.labels![NAME_LABEL] = name;
      // A spread counts the Pods it selects: the copy's own.
      for (const constraint of spec!.template!.spec?.topologySpreadConstraints ?? []) {
        if (constraint.labelSelector?.matchLabels?.[NAME_LABEL]) constraint.labelSelector.matchLabels[NAME_LABEL] = name;
      }
    } else if (object.kind === 'Service') {
      object.metadata.name = name;
      spec!.selector![NAME_LABEL] = name;
    } else if (object.kind === 'NetworkPolicy') {
      // It guards the copy's Pods, under the copy's name.
      object.metadata.name = name;
      (spec as unknown as { podSelector: Selector }).podSelector.matchLabels![NAME_LABEL] = name;
    }
  }
  return copy;
}

/** The Pod spec of a Pod, or of the Pod template of a workload (Deployment, Job, ...); undefined for other objects. */
export function podSpecOf<Spec = Record<string, unknown>>(object: K8sObject): Spec | undefined {
  const spec = object.spec as { template?: { spec?: Spec } } | undefined;
  return object.kind === 'Pod' ? (spec as Spec | undefined) : spec?.template?.spec;
}

/**
 * The objects with every container image that is a key of `images` set to
 * its value: set on the parsed Pod specs, so a reference is replaced where
 * it is an image and nowhere else, however the YAML was written.
 */
export function withImages(objects: readonly K8sObject[], images: Readonly<Record<string, string>>): K8sObject[] {
  const copy = structuredClone(objects) as K8sObject[];
  type Container = { image?: string };
  for (const object of copy) {
    const pod = podSpecOf<{ containers?: Container[]; initContainers?: Container[]; ephemeralContainers?: Container[] }>(object);
    for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? []), ...(pod?.ephemeralContainers ?? [])]) {
      const image = container.image === undefined ? undefined : images[container.image];
      if (image !== undefined) container.image = image;
    }
  }
  return copy;
}

/** Environment variables to add, by container name. */
export type ContainerEnv = Record<string, Record<string, string>>;

/**
 * The objects with these variables added to the named containers of every
 * Pod spec (init containers too): a step that slows or breaks its own Pod on
 * purpose says so here, and the manifests people read stay as they are.
 */
export function withEnv(objects: readonly K8sObject[], env: ContainerEnv): K8sObject[] {
  const copy = structuredClone(objects) as K8sObject[];
  type Container = { name: string; env?: Array<{ name: string; value: string }> };
  for (const object of copy) {
    const pod = podSpecOf<{ containers?: Container[]; initContainers?: Container[] }>(object);
    for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      for (const [name, value] of Object.entries(env[container.name] ?? {})) (container.env ??= []).push({ name, value });
    }
  }
  return copy;
}

/**
 * What the demo may apply from a kustomization it is given (--base,
 * --overlay): the demo's own Namespace, and objects of these namespaced kinds
 * in it. Anything else (a ClusterRole, a webhook, a Deployment in
 * kube-system) would act on the user's cluster beyond the demo's namespace.
 */
const APPLICABLE_KINDS = new Set([
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'Pod',
  'Job',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
]);

/** The objects the demo refuses to apply, each named with why; empty when all may be applied. */
export function outsideNamespace(objects: readonly K8sObject[], namespace: string): string[] {
  const refused: string[] = [];
  for (const { kind, metadata } of objects) {
    const name = `${kind} ${metadata.namespace === undefined ? '' : `${metadata.namespace}/`}${metadata.name}`;
    if (kind === 'Namespace') {
      if (metadata.name !== namespace) refused.push(`${name} (another namespace)`);
    } else if (!APPLICABLE_KINDS.has(kind)) {
      refused.push(`${name} (a kind the demo does not apply; cluster-scoped ones would reach beyond its namespace)`);
    } else if (metadata.namespace !== namespace) {
      refused.push(`${name} (namespace ${metadata.namespace ?? 'not set'}, not ${namespace})`);
    }
  }
  return refused;
}

/** Objects as the multi-document YAML `kubectl apply -f -` reads. */
export const toYaml = (objects: readonly K8sObject[]): string => objects.map((object) => stringify(object)).join('---\n');
