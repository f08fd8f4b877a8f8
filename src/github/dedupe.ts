/** Delivery ids already handled to the end, bounded: GitHub redelivers with the same X-GitHub-Delivery id. */
export class RecentDeliveries {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 5000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
}

/**
 * Runs tasks with the same key one after another (events of one pull request), tasks with different keys in
 * parallel. Without it, `opened` and a quick `synchronize` could both see "no summary yet" and both post one.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  get size(): number {
    return this.tails.size;
  }

  /** Resolves once every queued task, including those queued meanwhile, has ended. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
