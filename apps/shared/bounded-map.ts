// A Map that forgets its oldest entries past a capacity, so a long-running
// container's memory stays flat however many messages pass through it.

export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();
  evicted = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Inserts or replaces; a replaced key keeps its age (insertion order). */
  set(key: K, value: V): void {
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
      this.evicted += 1;
    }
  }
}
