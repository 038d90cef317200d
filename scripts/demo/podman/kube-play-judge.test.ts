import type { IPodSpec } from 'kubernetes-models/v1';
import { expect, test } from 'vitest';
import type { PodmanContainer } from '../../lib/podman-pod.js';
import { judgeKubePlay, type PlayedPod } from './kube-play-judge.js';

const spec: IPodSpec = {
  securityContext: { runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  volumes: [{ name: 'shared', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }],
  containers: [
    {
      name: 'app',
      ports: [{ name: 'http', containerPort: 8080 }],
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
      resources: { limits: { cpu: '500m', memory: '256Mi' } },
    },
  ],
};

// As podman inspect gave it for the app (Podman 4.3.1, 2026-12-07).
const inspect = (): PodmanContainer => ({
  State: { Pid: 7, Running: true, StartedAt: '2026-12-07T09:00:00Z' },
  Config: { User: '10001:10001', Env: [] },
  HostConfig: { ReadonlyRootfs: true, SecurityOpt: ['no-new-privileges'], Memory: 268435456, CpuQuota: 50000, CpuPeriod: 100000 },
  EffectiveCaps: [],
  Mounts: [{ Type: 'volume', Name: 'shared', Source: '/var/lib/containers/storage/volumes/shared/_data', Destination: '/shared' }],
});
const played = (app: PodmanContainer, seccomp = '2'): PlayedPod => ({
  containers: { app: { inspect: app, seccomp } },
  published: { '8080/tcp': '0.0.0.0:8080' },
});

test('the hardening kept passes; what Podman does otherwise is listed', () => {
  expect(judgeKubePlay(spec, played(inspect()))).toEqual({
    problems: [],
    differences: [
      'app: readinessProbe ignored (Podman has no startup or readiness check)',
      'emptyDir shared became the named volume `shared` in /var/lib/containers/storage/volumes/shared/_data: every Pod that names it shares it, and it outlives the Pod (its medium and sizeLimit ignored)',
      "app: containerPort 8080 is published on this machine's 0.0.0.0:8080, though it has no hostPort",
    ],
  });
});

test('a writable root, a capability left, no seccomp filter and another user are each named', () => {
  const loose = inspect();
  loose.HostConfig.ReadonlyRootfs = false;
  loose.EffectiveCaps = ['CAP_NET_RAW'];
  loose.Config.User = '0:0';
  expect(judgeKubePlay(spec, played(loose, '0')).problems).toEqual([
    "kube play did not keep the app's runAsUser/runAsGroup 10001:10001: podman runs it with 0:0",
    "kube play did not keep the app's readOnlyRootFilesystem: podman runs it with a writable root file system",
    "kube play did not keep the app's capabilities.drop ALL: podman runs it with CAP_NET_RAW",
    "kube play did not keep the app's seccompProfile RuntimeDefault: podman runs it with Seccomp: 0 (2 is a filter)",
  ]);
});

test('limits not kept are listed', () => {
  const unlimited = inspect();
  unlimited.HostConfig.Memory = 0;
  unlimited.HostConfig.CpuQuota = 0;
  expect(judgeKubePlay(spec, played(unlimited)).differences.slice(0, 2)).toEqual([
    'app: limits.memory 256Mi became 0 bytes',
    'app: limits.cpu 500m became a quota of 0 CPU',
  ]);
});
