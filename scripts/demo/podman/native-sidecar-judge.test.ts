import { expect, test } from 'vitest';
import { judgeNativeSidecarRefused } from './native-sidecar-judge.js';

// As Podman 4.3.1 said it (2026-12-07).
const REFUSED =
  'Error: encountered while bringing up pod podmates-native-pod-0: cannot create an init container that has either of lifecycle, livenessProbe, readinessProbe, or startupProbe set';

test("Podman 4's refusal of an init container with probes passes, its line kept", () => {
  expect(judgeNativeSidecarRefused({ exitCode: 125, stdout: '', stderr: REFUSED })).toEqual({ problems: [], said: REFUSED });
});

test('a Podman that takes the overlay is named', () => {
  expect(judgeNativeSidecarRefused({ exitCode: 0, stdout: 'Pod:\nabc', stderr: '' }).problems).toEqual([
    'kube play took the native-sidecar overlay (an init container with restartPolicy: Always): this Podman may run native sidecars; see what it does with them',
  ]);
});

test('a failure for another reason is not taken for the refusal', () => {
  expect(
    judgeNativeSidecarRefused({ exitCode: 125, stdout: '', stderr: 'Error: localhost/podmates/app:0.1.0: image not known' }).problems,
  ).toEqual(['kube play failed, but not on the init container: Error: localhost/podmates/app:0.1.0: image not known']);
});
