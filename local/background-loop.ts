import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A loop that runs in the background of `npm start` until stopped: the stream poller (in AWS, Lambda's event
 * source mapping) and the site rebuilder (the build job) are each one. `start` runs rounds one after another; a
 * round that says more is waiting is followed at once, otherwise the loop pauses `idleMs`; a round that throws is
 * reported to `failed`, which answers how long to back off before the next. Pauses end early on `stop`, which
 * resolves once the round in progress has ended.
 */
export abstract class BackgroundLoop {
  #running = false;
  #loop: Promise<void> | undefined;

  /** One round of work: true when more is waiting, so the next round starts at once. */
  protected abstract round(): Promise<boolean>;

  /** The pause after a round that found nothing more to do (or failed). */
  protected abstract idleMs(): number;

  /** A round threw: report it, and answer how long to back off before the idle pause. */
  protected abstract failed(error: unknown): number;

  /** Called after each round that found nothing more to do (or failed), before the pause. */
  protected idle(): void {}

  /** Whether the loop is running (a round checks it to end early once stopped). */
  protected get running(): boolean {
    return this.#running;
  }

  /** Starts the loop in the background (again after a stop; a second start while running does nothing). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops after the round in progress; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let more = false;
      try {
        more = await this.round();
      } catch (error) {
        await this.pause(this.failed(error));
      }
      if (!more) {
        this.idle();
        await this.pause(this.idleMs());
      }
    }
  }

  /** Waits `ms`, or less when the loop is stopped meanwhile. */
  protected async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.#running && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
  }
}
