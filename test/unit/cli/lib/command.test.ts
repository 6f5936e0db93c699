import { parseArgs } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandArguments } from '../../../../cli/lib/command.js';
import { UsageError } from '../../../../cli/lib/usage.js';

const USAGE = 'usage: npm run example -- --site DIR';

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    options: { site: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }).values;

describe('commandArguments', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers the parsed arguments', () => {
    // Act
    const values = commandArguments(USAGE, () => parse(['--site', 'dist']));

    // Assess
    expect(values).toEqual({ site: 'dist' });
  });

  it('prints the usage and answers nothing when --help asks for it', () => {
    // Prepare
    const printed: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      printed.push(line);
    });

    // Act
    const values = commandArguments(USAGE, () => parse(['-h']));

    // Assess
    expect(values).toBeUndefined();
    expect(printed).toEqual([USAGE]);
  });

  it("turns the parser's refusal into a UsageError that carries the usage", () => {
    // Act
    const refuse = () => commandArguments(USAGE, () => parse(['--bogus']));

    // Assess
    expect(refuse).toThrow(UsageError);
    expect(refuse).toThrow(expect.objectContaining({ usage: USAGE, message: expect.stringMatching(/--bogus/) }));
  });
});
