// Rendering the kustomizations in manifests/ the way `kubectl apply -k` does.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { run } from './commands.js';
import { PROJECT_ROOT } from './project.js';

export const KUSTOMIZATIONS = ['base', 'overlays/native-sidecar', 'overlays/clash', 'overlays/shared-pid', 'overlays/init-queue', 'overlays/probe'] as const;
export type Kustomization = (typeof KUSTOMIZATIONS)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export function manifestPath(kustomization: Kustomization): string {
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

export async function render(kustomization: Kustomization): Promise<K8sObject[]> {
  return renderDirectory(manifestPath(kustomization));
}
