// One timer that always fires at the earliest time anyone asked for: asking
// for an earlier time moves it forward, a later one changes nothing. Times are
// performance.now() milliseconds, which no clock step (NTP, a VM resumed)
// moves backwards or forwards.

export class DueTimer {
  private timer: NodeJS.Timeout | null = null;
  private dueAt = Infinity;

  constructor(
    private readonly fire: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** When it fires next, or Infinity when it is not armed. */
  get next(): number {
    return this.dueAt;
  }

  /** Makes sure `fire` runs at `time` at the latest. */
  at(time: number): void {
    if (time >= this.dueAt) return;
    this.clear();
    this.dueAt = time;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.dueAt = Infinity;
        this.fire();
      },
      Math.max(0, time - this.now()),
    );
    // The server keeps the process alive; a pending check must not keep a stopping one.
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = Infinity;
  }
}
