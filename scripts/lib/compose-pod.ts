// The docker-compose Pod as the harness sees it: bring it up, look inside it
// with the probe, look at it from another container, and take it down.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeClient, type ProbeClient } from '../../apps/probe/client.js';
import { PROBE_COMMAND, type ProbeOptions } from '../../apps/probe/contract.js';
import { run, type Output } from './commands.js';
import { imageName } from './docker.js';
import { PROJECT_ROOT } from './project.js';
import type { Progress } from './report.js';
import { pollUntil } from './wait.js';

/** How long `stop` and `down` give each container after SIGTERM before SIGKILL: the services stop in well under a second when idle. */
const STOP_TIMEOUT_S = '5';

export class ComposePod {
  constructor(
    private readonly compose: string[],
    readonly project: string,
    private readonly overrides: string[] = [],
    private readonly hostPort = 0,
  ) {}

  private command(...args: string[]): string[] {
    const files = ['docker-compose.yml', ...this.overrides].flatMap((file) => ['-f', join(PROJECT_ROOT, file)]);
    return [...this.compose, '--project-directory', PROJECT_ROOT, ...files, '-p', this.project, '--profile', 'clash', ...args];
  }

  private get env(): Record<string, string> {
    return {
      PODMATES_PAUSE_IMAGE: imageName('pause'),
      PODMATES_SIDECAR_IMAGE: imageName('sidecar'),
      PODMATES_APP_IMAGE: imageName('app'),
      PODMATES_APP_PORT: String(this.hostPort),
    };
  }

  compose$(...args: string[]): Promise<Output> {
    return run(this.command(...args), { env: this.env, timeoutMs: 180_000 });
  }

  async up(): Promise<void> {
    await this.compose$('up', '-d', 'pod', 'sidecar', 'app');
  }

  /** Waits until the app answers its readiness probe inside the Pod (its queues open, the sidecar reachable). */
  async waitUntilReady(progress: Progress): Promise<void> {
    await pollUntil(async () => (await this.probe('app').http('GET', 'http://127.0.0.1:8080/readyz')).status === 200, {
      timeoutMs: 60_000,
      what: 'the app to be ready (GET /readyz)',
      progress,
    });
  }

  /** Where this machine reaches the app: the infra container's published 8080, e.g. "127.0.0.1:49153". */
  async publishedAppPort(): Promise<string> {
    const published = (await this.compose$('port', 'pod', '8080')).stdout.trim();
    if (!/^[\d.]+:\d+$/.test(published))
      throw new Error(`docker-compose port pod 8080 printed ${JSON.stringify(published)}, not host:port`);
    return published;
  }

  async down(): Promise<void> {
    await this.compose$('down', '--volumes', '--remove-orphans', '--timeout', STOP_TIMEOUT_S);
  }

  async containerId(service: string): Promise<string> {
    const id = (await this.compose$('ps', '-a', '-q', service)).stdout.trim().split('\n')[0];
    if (!id) throw new Error(`compose service ${service} has no container`);
    return id;
  }

  /** The probe inside a service's container (its namespaces), through docker exec. */
  probe(service: string, options: ProbeOptions = {}): ProbeClient {
    return probeClient(async (words) => {
      const output = await run(['docker', 'exec', await this.containerId(service), ...PROBE_COMMAND, ...words], { timeoutMs: 120_000 });
      return JSON.parse(output.stdout) as unknown;
    }, options);
  }

  /** The probe in a new container of the app's image, as the services' UID, with these `docker run` options. */
  private probeInNewContainer(runOptions: () => Promise<string[]>, options: ProbeOptions = {}): ProbeClient {
    return probeClient(async (words) => {
      const user = ['--user', '10001:10001'];
      const output = await run(['docker', 'run', '--rm', ...(await runOptions()), ...user, imageName('app'), ...PROBE_COMMAND, ...words], {
        timeoutMs: 60_000,
      });
      return JSON.parse(output.stdout) as unknown;
    }, options);
  }

  /** The probe in a new container on the compose network: outside the Pod, like another Pod. */
  probeFromOutside(options: ProbeOptions = {}): ProbeClient {
    return this.probeInNewContainer(async () => ['--network', await this.network()], options);
  }

  /**
   * The probe in a new container, on no network, that mounts a service's
   * volumes read-only: named volumes outlive the containers, so this reads
   * them once the Pod has stopped too.
   */
  probeVolumesOf(service: string): ProbeClient {
    return this.probeInNewContainer(async () => ['--network', 'none', '--volumes-from', `${await this.containerId(service)}:ro`]);
  }

  private async inspect(service: string, format: string): Promise<string> {
    return (await run(['docker', 'inspect', '--format', format, await this.containerId(service)])).stdout.trim();
  }

  async network(): Promise<string> {
    return this.inspect('pod', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}');
  }

  async podAddress(): Promise<string> {
    return this.inspect('pod', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}');
  }

  async isRunning(service: string): Promise<boolean> {
    return (await this.inspect(service, '{{.State.Running}}')) === 'true';
  }

  /** When a service's container last exited, as Docker recorded it (ms since the epoch). */
  async exitedAt(service: string): Promise<number> {
    return Date.parse(await this.inspect(service, '{{.State.FinishedAt}}'));
  }

  /** `stop`: compose sends each container SIGTERM in its own order (SIGKILL after STOP_TIMEOUT_S); the containers and volumes stay. */
  async stop(): Promise<void> {
    await this.compose$('stop', '--timeout', STOP_TIMEOUT_S);
  }

  /** Starts the clash service and waits for it to stop: its exit code and log. */
  async runClash(): Promise<{ exitCode: number | null; output: string }> {
    await this.compose$('up', '-d', '--no-deps', 'clash');
    const id = await this.containerId('clash');
    const exitCode = Number((await run(['docker', 'wait', id], { timeoutMs: 60_000 })).stdout.trim());
    const logs = await run(['docker', 'logs', id]);
    return { exitCode: Number.isNaN(exitCode) ? null : exitCode, output: logs.stdout + logs.stderr };
  }

  /** Saves what a person needs to see why a step failed; returns the folder. */
  async saveArtifacts(folder: string): Promise<string> {
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'compose-ps.txt'),
      (await this.compose$('ps', '-a').catch((error: Error) => ({ stdout: error.message }))).stdout,
    );
    for (const service of ['pod', 'sidecar', 'app', 'clash']) {
      const id = await this.containerId(service).catch(() => null);
      if (!id) continue;
      const logs = await run(['docker', 'logs', id], { allowFailure: true });
      writeFileSync(join(folder, `${service}.log`), logs.stdout + logs.stderr);
      writeFileSync(join(folder, `${service}.inspect.json`), (await run(['docker', 'inspect', id], { allowFailure: true })).stdout);
    }
    return folder;
  }
}
