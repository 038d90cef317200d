import { expect, test } from 'vitest';
import { parsePod } from '../../scripts/lib/kube.js';

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
