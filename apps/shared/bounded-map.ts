// A Map that forgets its oldest entries past a capacity, so a long-running
// container's memory stays flat however many messages pass through it.

export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  evicted = 0;

  constructor(
    readonly capacity: number,
    /** Told about each entry it forgets (the app keeps a retention boundary from it). */
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  /** Inserts or replaces; a replaced key keeps its age (insertion order). */
  set(key: K, value: V): void {
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const [oldest, forgotten] = this.map.entries().next().value as [K, V];
      this.map.delete(oldest);
      this.evicted += 1;
      this.onEvict(oldest, forgotten);
    }
  }
}
