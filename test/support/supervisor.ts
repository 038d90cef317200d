// Restarts a service whenever it exits, as the kubelet restarts a container of
// a Pod with restartPolicy Always (here after a short fixed delay, without the
// kubelet's growing back-off), so a test can SIGKILL it again and again.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PodBox, Service } from './pod-box.js';

export class Supervised {
  /** Every process this service ran as, in order. */
  readonly runs: Service[] = [];
  private stopped = false;

  constructor(
    private readonly box: PodBox,
    private readonly service: 'app' | 'sidecar',
    /** The environment of each run, by its number (0 is the first). */
    private readonly env: (run: number) => Record<string, string> = () => ({}),
    private readonly restartDelayMs = 200,
  ) {}

  get current(): Service {
    return this.runs.at(-1)!;
  }

  get restarts(): number {
    return this.runs.length - 1;
  }

  async start(): Promise<void> {
    this.run();
    await this.current.waitForEvent('ready');
  }

  /** SIGKILL, as the OOM killer or the kubelet past the grace period does; the process is restarted. */
  kill(): void {
    const pid = this.current.pid;
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone (it is being restarted).
    }
  }

  /** Stops restarting, then stops the current run with `signal`. */
  stop(signal: NodeJS.Signals = 'SIGTERM') {
    this.stopped = true;
    return this.current.stop(signal);
  }

  /** How many log lines with this event all runs wrote. */
  count(event: string): number {
    const needle = `"event":"${event}"`;
    return this.runs.reduce((sum, run) => sum + run.lines.filter((line) => line.includes(needle)).length, 0);
  }

  private run(): void {
    const number = this.runs.length;
    const service = this.box.start(this.service, this.env(number), `${this.service}#${number}`);
    this.runs.push(service);
    void service.exit().then(async () => {
      if (this.stopped) return;
      await sleep(this.restartDelayMs);
      if (!this.stopped) this.run();
    });
  }
}
