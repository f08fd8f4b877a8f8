// A background loop that runs a step until there is no work, then sleeps until woken or until a timer fires.

export type StepResult = boolean | { idleMs: number };

export class Wakeable {
  private running = false;
  private current: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  /**
   * @param step returns true when it did some work (run again at once), false when idle (sleep `pollMs`), or
   *   `{ idleMs }` to sleep at most that long (say, until the next embargo ends).
   */
  constructor(
    private readonly step: () => Promise<StepResult>,
    private readonly pollMs: number,
    private readonly onError: (error: unknown) => void = (e) => console.error("iommu-review:", e),
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.current;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let result: StepResult = false;
      this.woken = false;
      try {
        result = await this.step();
      } catch (error) {
        this.onError(error);
      }
      if (result === true || !this.running) continue;
      const sleep = result === false ? this.pollMs : Math.max(0, Math.min(result.idleMs, this.pollMs));
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleep);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}

/** A class whose work is a Wakeable loop of its step(): it starts, wakes and stops that loop. */
export abstract class BackgroundLoop {
  private readonly loop: Wakeable;

  protected constructor(pollMs: number, onError?: (error: unknown) => void) {
    this.loop = new Wakeable(() => this.step(), pollMs, onError);
  }

  /** One round of work, as Wakeable's step. */
  protected abstract step(): Promise<StepResult>;

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
