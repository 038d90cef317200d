// The exec probe of a container whose server listens on 127.0.0.1 only (the
// sidecar): the kubelet probes from outside the Pod's network namespace, so the
// check has to run inside the container.
//
//   node dist/apps/health/main.js sidecar     GET 127.0.0.1:$SIDECAR_PORT/healthz
//   node dist/apps/health/main.js app         GET 127.0.0.1:$APP_PORT/healthz
//
// The port comes from the container's own environment (the kubelet does not
// expand variables from envFrom in an exec command), so the probe follows the
// ConfigMap. It loads node:http and nothing else: it starts every few seconds
// inside the container's memory and CPU limits. Exit 0 on a 2xx answer.
import { httpGet } from '../shared/http-get.js';

const PORTS = { sidecar: ['SIDECAR_PORT', 9090], app: ['APP_PORT', 8080] } as const;
const TIMEOUT_MS = 2000;

async function main(): Promise<number> {
  const which = process.argv[2];
  if (which !== 'sidecar' && which !== 'app') {
    process.stderr.write('usage: health sidecar|app\n');
    return 2;
  }
  const [variable, fallback] = PORTS[which];
  const port = process.env[variable] || String(fallback);
  const url = `http://127.0.0.1:${port}/healthz`;
  try {
    const answer = await httpGet(url, TIMEOUT_MS);
    if (answer.status >= 200 && answer.status < 300) return 0;
    process.stderr.write(`health: ${url} answered ${answer.status}\n`);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    process.stderr.write(`health: ${url}: ${code ?? message}\n`);
  }
  return 1;
}

void main().then((code) => {
  process.exitCode = code;
});
