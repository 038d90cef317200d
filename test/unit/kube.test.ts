import { expect, test } from 'vitest';
import { parsePod } from '../../scripts/lib/kube.js';
import { pushedByDigest } from '../../scripts/lib/docker.js';

test('parsePod reads readiness, the Pod IP and container states from kubectl JSON', () => {
  const pod = parsePod({
    metadata: { name: 'podmates-1', deletionTimestamp: '2026-11-27T01:00:30Z' },
    spec: { nodeName: 'podmates-control-plane' },
    status: {
      phase: 'Running',
      podIP: '10.244.0.7',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False' },
      ],
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 98 } },
        },
        { name: 'sidecar', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-27T01:00:00Z' } }, lastState: {} },
      ],
    },
  });
  expect(pod).toMatchObject({
    name: 'podmates-1',
    ip: '10.244.0.7',
    node: 'podmates-control-plane',
    terminating: true,
    phase: 'Running',
    ready: false,
    initContainers: [],
  });
  expect(pod.containers.map((container) => [container.name, container.restartCount, container.lastState.terminated?.exitCode])).toEqual([
    ['app', 2, 98],
    ['sidecar', 0, undefined],
  ]);
});

test('a Pod without status yet is Unknown, not ready, with no containers', () => {
  expect(parsePod({ metadata: { name: 'new' } })).toEqual({
    name: 'new',
    ip: undefined,
    node: undefined,
    terminating: false,
    phase: 'Unknown',
    ready: false,
    containers: [],
    initContainers: [],
    ephemeralContainers: [],
  });
});

test('a pushed image is deployed by the digest the push reports, not by its tag', () => {
  const output = [
    'The push refers to repository [localhost:5001/podmates/app]',
    '5f70bf18a086: Pushed',
    `0.1.0-1a2b3c4d5e6f: digest: sha256:${'ab'.repeat(32)} size: 1570`,
  ].join('\n');
  expect(pushedByDigest('localhost:5001/podmates/app:0.1.0-1a2b3c4d5e6f', output)).toBe(
    `localhost:5001/podmates/app@sha256:${'ab'.repeat(32)}`,
  );
  expect(() => pushedByDigest('localhost:5001/podmates/app:0.1.0', 'error: denied')).toThrow(/printed no digest: error: denied/);
});
