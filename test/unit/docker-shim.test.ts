// The capability shim's installer and the shim itself, which run as root on
// people's machines: the installer never takes over another default runtime
// and can be undone exactly; the shim never runs a runc named by the
// environment.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';

const HELPER = join(PROJECT_ROOT, 'scripts/host/daemon-json.py');
const SHIM = join(PROJECT_ROOT, 'scripts/host/runc-caps-shim');
let dir: string;
let daemonJson: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'podmates-daemon-json-'));
  daemonJson = join(dir, 'daemon.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const helper = (...args: string[]) => execaSync('python3', [HELPER, ...args], { reject: false });
const install = () => helper('install', daemonJson, 'podmates-caps', '/usr/local/sbin/podmates-runc-caps-shim');
const uninstall = () => helper('uninstall', daemonJson, 'podmates-caps');

test("installed over a daemon.json of the user's own, then uninstalled: the file is back byte for byte", () => {
  const theirs = '{\n    "log-level": "warn",\n    "runtimes": {"other": {"path": "/opt/other"}}\n}\n';
  writeFileSync(daemonJson, theirs);
  expect(install().exitCode).toBe(0);
  expect(JSON.parse(readFileSync(daemonJson, 'utf8'))).toEqual({
    'log-level': 'warn',
    runtimes: { other: { path: '/opt/other' }, 'podmates-caps': { path: '/usr/local/sbin/podmates-runc-caps-shim' } },
    'default-runtime': 'podmates-caps',
  });
  expect(uninstall().exitCode).toBe(0);
  expect(readFileSync(daemonJson, 'utf8')).toBe(theirs);
  expect(existsSync(`${daemonJson}.podmates-orig`)).toBe(false);
});

test('with no daemon.json before, uninstall leaves none', () => {
  expect(install().exitCode).toBe(0);
  expect(existsSync(daemonJson)).toBe(true);
  expect(uninstall().exitCode).toBe(0);
  expect(existsSync(daemonJson)).toBe(false);
});

test('another default runtime is refused, and the file is left as it was', () => {
  const theirs = '{"default-runtime": "nvidia", "runtimes": {"nvidia": {"path": "/usr/bin/nvidia-container-runtime"}}}\n';
  writeFileSync(daemonJson, theirs);
  const refused = install();
  expect(refused.exitCode).toBe(3);
  expect(refused.stderr).toContain("makes 'nvidia' dockerd's default runtime: not replacing it with 'podmates-caps'");
  expect(readFileSync(daemonJson, 'utf8')).toBe(theirs);
  expect(existsSync(`${daemonJson}.podmates-orig`)).toBe(false);
});

test('the shim never runs a runc named by the environment', () => {
  const marker = join(dir, 'ran');
  const evil = join(dir, 'evil-runc');
  writeFileSync(evil, `#!/bin/sh\ntouch ${marker}\n`);
  chmodSync(evil, 0o755);
  execaSync('python3', [SHIM, '--version'], { env: { PODMATES_REAL_RUNC: evil }, reject: false });
  expect(existsSync(marker)).toBe(false);
});
