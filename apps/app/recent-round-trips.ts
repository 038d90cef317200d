// The last round trips through the queues, for the live page's chart: a
// fixed-size window, so memory stays flat however long the Pod runs.
export interface RoundTrip {
  /** When the reply came back (ms since the epoch). */
  at: number;
  ms: number;
}

export class RecentRoundTrips {
  private readonly trips: RoundTrip[] = [];

  constructor(private readonly capacity = 100) {}

  add(ms: number, at = Date.now()): void {
    this.trips.push({ at, ms });
    if (this.trips.length > this.capacity) this.trips.shift();
  }

  list(): RoundTrip[] {
    return [...this.trips];
  }
}
