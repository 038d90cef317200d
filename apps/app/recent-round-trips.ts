// The last round trips through the queues, for the live page's chart: a
// fixed-size window, so memory stays flat however long the Pod runs.
import type { RoundTrip } from '../shared/pod-view.js';

export type { RoundTrip };

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
