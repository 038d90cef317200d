// An overlay of manifests/ rendered without kubectl, for the Podman demo,
// which runs where no kubectl is: the base's files with the overlay's inline
// JSON 6902 patches applied (fast-json-patch). Only that shape of
// kustomization is taken; anything else is refused with what it has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { parse, parseAllDocuments } from 'yaml';
import { manifestPath, type K8sObject } from './manifests.js';

interface Kustomization {
  resources?: string[];
  patches?: Array<{ target?: { kind?: string; name?: string }; patch?: string; path?: string }>;
  [field: string]: unknown;
}

/** The objects of these files of the base, each patched as the overlay says. */
export function patchedBase(overlay: string, files: readonly string[]): K8sObject[] {
  const directory = manifestPath(`overlays/${overlay}`);
  const kustomization = parse(readFileSync(join(directory, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const other = Object.keys(kustomization).filter((field) => !['apiVersion', 'kind', 'resources', 'patches'].includes(field));
  if (JSON.stringify(kustomization.resources) !== JSON.stringify(['../../base']) || other.length > 0)
    throw new Error(`overlays/${overlay} is not only JSON 6902 patches on ../../base (it has ${other.join(', ') || 'other resources'})`);
  const objects = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(manifestPath('base'), file), 'utf8')).map((document) => document.toJS() as K8sObject),
  );
  for (const { target, patch, path } of kustomization.patches ?? []) {
    if (!patch || path || !target?.kind || !target.name)
      throw new Error(`overlays/${overlay}: only inline patches with a target kind and name are taken here`);
    const index = objects.findIndex((object) => object.kind === target.kind && object.metadata.name === target.name);
    if (index < 0) throw new Error(`overlays/${overlay} patches ${target.kind} ${target.name}, which ${files.join(', ')} do not have`);
    objects[index] = jsonPatch.applyPatch(objects[index]!, parse(patch) as Operation[], true, false).newDocument;
  }
  return objects;
}
