// Every rendered manifest validated offline against the Kubernetes schemas
// (kubernetes-models), and the properties the demo and Pod Security rely on.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, test } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Namespace, Pod, Service } from 'kubernetes-models/v1';
import { LIFECYCLE_RECORD } from '../../apps/shared/lifecycle.js';
import { NAMESPACE } from '../../scripts/lib/kube.js';
import {
  KUSTOMIZATIONS,
  NAME_LABEL,
  outsideNamespace,
  podSpecOf,
  render,
  renderDirectory,
  renamed,
  withImages,
  type K8sObject,
} from '../../scripts/lib/manifests.js';
import { patchedBase } from '../../scripts/lib/overlay-patches.js';
import { PLAYED } from '../../scripts/lib/podman-pod.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { describeIf } from '../support/describe-pod.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Pod': Pod,
  'v1/Service': Service,
};

interface ContainerSpec {
  name: string;
  image: string;
  restartPolicy?: string;
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ containerPort: number }>;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
}
interface PodSpec {
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostIPC?: boolean;
  hostPID?: boolean;
  securityContext: Record<string, unknown>;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
}

const podSpec = (object: K8sObject): PodSpec => podSpecOf<PodSpec>(object)!;
const find = (objects: K8sObject[], kind: string) => objects.find((object) => object.kind === kind)!;

const kubectlBlocker = execaSync('kubectl', ['version', '--client'], { reject: false }).exitCode === 0 ? null : 'kubectl is not installed';

describeIf('manifests', kubectlBlocker, () => {
  test.each(KUSTOMIZATIONS)('%s renders and every object passes the Kubernetes schema', async (kustomization) => {
    const objects = await render(kustomization);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `no schema model for ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object as never).validate(), `${kustomization}: ${object.kind} ${object.metadata.name}`).not.toThrow();
      expect(object.metadata.namespace ?? object.metadata.name).toBe('podmates');
    }
  });

  test.each(['overlays/clash', 'overlays/init-queue'] as const)(
    '%s renamed for a step: its own Deployment and Service, selecting only its own Pods, the rest untouched',
    async (kustomization) => {
      const original = await render(kustomization);
      const copy = renamed(original, 'podmates-5g');
      const deployment = find(copy, 'Deployment') as K8sObject & {
        spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
      };
      const service = find(copy, 'Service') as K8sObject & { spec: { selector: Record<string, string> } };
      expect([deployment.metadata.name, service.metadata.name]).toEqual(['podmates-5g', 'podmates-5g']);
      expect([
        deployment.spec.selector.matchLabels[NAME_LABEL],
        deployment.spec.template.metadata.labels[NAME_LABEL],
        service.spec.selector[NAME_LABEL],
      ]).toEqual(['podmates-5g', 'podmates-5g', 'podmates-5g']);
      // The Pod spec is the overlay's, unchanged; the ConfigMap and Namespace are shared with the base.
      expect(podSpec(deployment)).toEqual(podSpec(find(original, 'Deployment')));
      expect(copy.filter((object) => !['Deployment', 'Service'].includes(object.kind))).toEqual(
        original.filter((object) => !['Deployment', 'Service'].includes(object.kind)),
      );
      expect(find(original, 'Deployment').metadata.name).toBe('podmates');
    },
  );

  test.each(['overlays/init-queue', 'overlays/probe'] as const)(
    '%s: images set on the objects, every container (init containers too), nothing else',
    async (kustomization) => {
      const original = await render(kustomization);
      const images = { 'podmates/app:0.1.0': 'registry.local/app@sha256:1', 'podmates/sidecar:0.1.0': 'registry.local/sidecar@sha256:2' };
      const deployed = withImages(original, images);
      const containers = (objects: K8sObject[]) =>
        objects
          .flatMap((object) => podSpecOf<PodSpec>(object))
          .flatMap((spec) => (spec ? [...spec.containers, ...(spec.initContainers ?? [])] : []));
      expect(containers(original).length).toBeGreaterThan(0);
      expect(containers(deployed).map((container) => container.image)).toEqual(
        containers(original).map((container) => images[container.image as keyof typeof images]),
      );
      // Only the images changed, and the rendered objects were not touched.
      const imagesLeftOut = (objects: K8sObject[]) => JSON.stringify(objects).replace(/"image":"[^"]*"/g, '"image"');
      expect(imagesLeftOut(deployed)).toBe(imagesLeftOut(original));
      expect(containers(original).every((container) => container.image.startsWith('podmates/'))).toBe(true);
    },
  );

  test('the schema check can fail: a malformed Deployment is refused', async () => {
    const deployment = structuredClone(find(await render('base'), 'Deployment')) as K8sObject & { spec: Record<string, unknown> };
    deployment.spec.replicas = 'one';
    expect(() => new Deployment(deployment as never).validate()).toThrow(/replicas/);
  });

  test.each(KUSTOMIZATIONS)('%s: every container is hardened for Pod Security "restricted"', async (kustomization) => {
    for (const object of (await render(kustomization)).filter((candidate) => ['Deployment', 'Job', 'Pod'].includes(candidate.kind))) {
      const spec = podSpec(object);
      // The node's namespaces instead of the sandbox's: Pod Security baseline forbids them (docs/concepts.md).
      expect([spec.hostNetwork, spec.hostIPC, spec.hostPID], `${kustomization} ${object.metadata.name}`).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.securityContext, container.name).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  test.each(KUSTOMIZATIONS)(
    '%s: no Pod gets an API token it never uses, and every container has CPU and memory limits',
    async (kustomization) => {
      for (const object of (await render(kustomization)).filter((candidate) => ['Deployment', 'Job', 'Pod'].includes(candidate.kind))) {
        const spec = podSpec(object);
        // None of the project's containers calls the Kubernetes API: a token would only be something to steal.
        expect(spec.automountServiceAccountToken, object.metadata.name).toBe(false);
        for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
          expect(container.resources?.limits, `${object.metadata.name}/${container.name}`).toMatchObject({
            cpu: expect.any(String) as string,
            memory: expect.any(String) as string,
          });
          expect(container.resources?.requests, `${object.metadata.name}/${container.name}`).toMatchObject({
            cpu: expect.any(String) as string,
            memory: expect.any(String) as string,
          });
        }
      }
    },
  );

  test("the Podman demo's rendering of the native-sidecar overlay without kubectl is kubectl's", async () => {
    const played = patchedBase('native-sidecar', PLAYED);
    const rendered = await render('overlays/native-sidecar');
    // kubectl adds the namespace and the labels to metadata; the rest must be the same.
    const withoutMetadata = (object: K8sObject) => ({ ...object, metadata: undefined });
    for (const kind of ['ConfigMap', 'Deployment'])
      expect(withoutMetadata(find(played, kind)), kind).toEqual(withoutMetadata(find(rendered, kind)));
  });

  test('base: the namespace enforces "restricted" and the sidecar exposes no port', async () => {
    const objects = await render('base');
    expect(find(objects, 'Namespace').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const spec = podSpec(find(objects, 'Deployment'));
    expect(spec.containers.map((container) => container.name)).toEqual(['sidecar', 'app']);
    expect(spec.containers[0]!.ports).toBeUndefined();
  });

  test('base: the journal is on a Pod volume, and stopping fits in the grace period', async () => {
    const objects = await render('base');
    const deployment = find(objects, 'Deployment') as K8sObject & {
      spec: { strategy: unknown; template: { spec: Record<string, unknown> } };
    };
    const spec = deployment.spec.template.spec as {
      volumes: Array<{ name: string; emptyDir?: unknown }>;
      terminationGracePeriodSeconds: number;
      containers: Array<{
        name: string;
        env?: Array<{ name: string; value: string }>;
        volumeMounts?: unknown[];
        lifecycle?: { preStop?: { sleep?: { seconds: number } } };
      }>;
    };
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(spec.volumes).toEqual([
      { name: 'state', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'shared', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    ]);
    const [sidecar, app] = spec.containers;
    // The journal is the app's alone; the sidecar sees only what both share.
    expect(app!.volumeMounts).toEqual([
      { name: 'state', mountPath: '/state' },
      { name: 'shared', mountPath: '/shared' },
    ]);
    expect(sidecar!.volumeMounts).toEqual([{ name: 'shared', mountPath: '/shared' }]);
    expect(app!.env).toEqual([{ name: 'STATE_DIR', value: '/state' }]);
    const config = (find(objects, 'ConfigMap') as K8sObject & { data: Record<string, string> }).data;
    for (const container of [sidecar!, app!]) {
      const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(preStop, `${container.name} preStop`).toBe(5);
      expect(preStop + Number(config.SHUTDOWN_TIMEOUT_MS) / 1000).toBeLessThan(spec.terminationGracePeriodSeconds);
    }
    // The lifecycle record sits on the volume both containers mount, where the demo reads it.
    expect(config.LIFECYCLE_FILE).toBe(LIFECYCLE_RECORD);
    expect(LIFECYCLE_RECORD.startsWith('/shared/')).toBe(true);
  });

  test('base: the sidecar is probed by the light health script, which reads the port from the environment', async () => {
    const spec = podSpec(find(await render('base'), 'Deployment')) as unknown as {
      containers: Array<{ livenessProbe: { exec: { command: string[] } } }>;
    };
    expect(spec.containers[0]!.livenessProbe.exec.command).toEqual(['/srv/podmates/apps/health/health.sh', 'sidecar']);
  });

  test('native-sidecar: the sidecar is an init container that keeps running', async () => {
    const spec = podSpec(find(await render('overlays/native-sidecar'), 'Deployment'));
    expect(spec.containers.map((container) => container.name)).toEqual(['app']);
    expect(spec.initContainers).toEqual([expect.objectContaining({ name: 'sidecar', restartPolicy: 'Always' })]);
  });

  test("network-policy: it selects the Deployment's Pods, not the probe Pod, and lets the probe Pod in", async () => {
    type Labels = Record<string, string> | undefined;
    type Policy = {
      spec: { podSelector: { matchLabels: Labels }; ingress: Array<{ from: Array<{ podSelector: { matchLabels: Labels } }> }> };
    };
    const objects = await render('overlays/network-policy');
    const policy = find(objects, 'NetworkPolicy') as unknown as Policy;
    const podLabels = (find(objects, 'Deployment') as unknown as { spec: { template: { metadata: { labels: Labels } } } }).spec.template
      .metadata.labels;
    const probeLabels = (find(await render('overlays/probe'), 'Pod') as unknown as { metadata: { labels: Labels } }).metadata.labels;
    const selects = (selector: Labels, labels: Labels) => Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
    expect(selects(policy.spec.podSelector.matchLabels, podLabels), "the policy's podSelector misses the Deployment's Pods").toBe(true);
    expect(selects(policy.spec.podSelector.matchLabels, probeLabels), "the policy's podSelector takes in the probe Pod").toBe(false);
    // Step 5w reaches 8080 from the probe Pod: the one source the policy lets in.
    expect(
      selects(policy.spec.ingress[0]!.from[0]!.podSelector.matchLabels, probeLabels),
      'the probe Pod is not what the policy lets in',
    ).toBe(true);
  });

  test("clash: the sidecar is told to listen on the app's port", async () => {
    const spec = podSpec(find(await render('overlays/clash'), 'Deployment'));
    const [sidecar, app] = spec.containers;
    expect(sidecar!.env).toEqual([{ name: 'SIDECAR_PORT', value: '8080' }]);
    expect(app!.ports).toEqual([expect.objectContaining({ containerPort: 8080 })]);
  });
});

describe('what the demo applies on a cluster it is given', () => {
  test.each([...KUSTOMIZATIONS, ...readdirSync(join(PROJECT_ROOT, 'test/kind/broken')).map((name) => `../test/kind/broken/${name}`)])(
    '%s holds only objects of namespace podmates',
    async (kustomization) => {
      expect(outsideNamespace(await renderDirectory(join(PROJECT_ROOT, 'manifests', kustomization)), NAMESPACE)).toEqual([]);
    },
  );

  test('a kustomization reaching beyond the namespace is refused, each object named with why', () => {
    const object = (kind: string, name: string, namespace?: string): K8sObject => ({
      apiVersion: 'v1',
      kind,
      metadata: namespace === undefined ? { name } : { name, namespace },
    });
    expect(
      outsideNamespace(
        [
          object('Namespace', 'podmates'),
          object('Deployment', 'podmates', 'podmates'),
          object('ClusterRoleBinding', 'take-over'),
          object('Deployment', 'miner', 'kube-system'),
          object('ConfigMap', 'loose'),
          object('Namespace', 'elsewhere'),
        ],
        'podmates',
      ),
    ).toEqual([
      'ClusterRoleBinding take-over (a kind the demo does not apply; cluster-scoped ones would reach beyond its namespace)',
      'Deployment kube-system/miner (namespace kube-system, not podmates)',
      'ConfigMap loose (namespace not set, not podmates)',
      'Namespace elsewhere (another namespace)',
    ]);
  });
});
