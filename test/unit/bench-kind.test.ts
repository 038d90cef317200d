// The kind Pod the bench measures in (--target kind): the base Deployment under
// its own name, with one emptyDir more, mounted in both containers.
import { expect, test } from 'vitest';
import { benchManifests } from '../../scripts/bench/kind-sides.js';
import type { K8sObject } from '../../scripts/lib/manifests.js';

const base: K8sObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'podmates' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podmates' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'podmates' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'podmates' } },
        spec: {
          volumes: [{ name: 'shared', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }],
          containers: [
            { name: 'sidecar', volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
            { name: 'app', resources: { limits: { cpu: '500m' } } },
          ],
        },
      },
    },
  },
];

test('podmates-bench is the base Pod, limits untouched, with the bench emptyDir mounted in both containers', () => {
  const [namespace, deployment] = benchManifests(base);
  expect(namespace).toEqual(base[0]);
  expect(deployment!.metadata.name).toBe('podmates-bench');
  const pod = (deployment!.spec as { template: { spec: { volumes: unknown[]; containers: Array<Record<string, unknown>> } } }).template
    .spec;
  expect(pod.volumes).toEqual([
    { name: 'shared', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    { name: 'bench', emptyDir: { sizeLimit: '32Mi' } },
  ]);
  expect(pod.containers.map((container) => container.volumeMounts)).toEqual([
    [
      { name: 'shared', mountPath: '/shared' },
      { name: 'bench', mountPath: '/srv/podmates/bench' },
    ],
    [{ name: 'bench', mountPath: '/srv/podmates/bench' }],
  ]);
  expect(pod.containers[1]!.resources).toEqual({ limits: { cpu: '500m' } });
  // The base objects themselves are not changed.
  expect(JSON.stringify(base)).not.toContain('bench');
});
