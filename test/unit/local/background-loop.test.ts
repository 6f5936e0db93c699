import { describe, expect, it } from 'vitest';
import { BackgroundLoop } from '../../../local/background-loop.js';

/** A loop whose rounds follow a script: `more` answers, or errors to throw. */
class ScriptedLoop extends BackgroundLoop {
  readonly rounds: string[] = [];
  readonly failures: string[] = [];
  idles = 0;
  constructor(
    private readonly script: (boolean | Error)[],
    private readonly pauseMs = 5,
    private readonly backoffMs = 5,
  ) {
    super();
  }
  protected override async round(): Promise<boolean> {
    const next = this.script.shift() ?? false;
    this.rounds.push(next instanceof Error ? 'error' : String(next));
    if (next instanceof Error) throw next;
    return next;
  }
  protected override idleMs(): number {
    return this.pauseMs;
  }
  protected override failed(error: unknown): number {
    this.failures.push((error as Error).message);
    return this.backoffMs;
  }
  protected override idle(): void {
    this.idles++;
  }
}

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('BackgroundLoop', () => {
  it('runs the next round at once while more is waiting, and pauses (idle) when not', async () => {
    // Prepare
    const loop = new ScriptedLoop([true, true, false, false]);
    // Act
    loop.start();
    await until(() => loop.rounds.length >= 4);
    await loop.stop();
    // Assess: the two rounds with more waiting were followed without an idle pause
    expect(loop.rounds.slice(0, 4)).toEqual(['true', 'true', 'false', 'false']);
    expect(loop.idles).toBe(loop.rounds.length - 2);
  });

  it('reports a failed round, backs off, and goes on', async () => {
    // Prepare
    const loop = new ScriptedLoop([new Error('engine down'), true, false]);
    // Act
    loop.start();
    await until(() => loop.rounds.length >= 3);
    await loop.stop();
    // Assess
    expect(loop.failures).toEqual(['engine down']);
    expect(loop.rounds.slice(0, 3)).toEqual(['error', 'true', 'false']);
  });

  it('stops during a long pause without waiting it out, and starts once however often start is called', async () => {
    // Prepare
    const loop = new ScriptedLoop([false], 60_000);
    loop.start();
    loop.start();
    await until(() => loop.rounds.length >= 1);
    // Act
    const started = Date.now();
    await loop.stop();
    // Assess
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(loop.rounds).toEqual(['false']);
  });
});
