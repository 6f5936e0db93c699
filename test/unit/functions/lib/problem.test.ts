import { describe, expect, it } from 'vitest';
import { toProblem } from '../../../../functions/lib/problem.js';
import { ConflictError, RateLimitedError, ValidationError } from '../../../../shared/errors.js';

describe('toProblem', () => {
  it('maps a validation error to 422 with the field paths', () => {
    const { problem } = toProblem(new ValidationError([{ path: 'discipline.0.form', message: 'Invalid option' }]));
    expect(problem).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ path: 'discipline.0.form' }] });
  });

  it('adds Retry-After to a rate-limit error', () => {
    const { problem, headers } = toProblem(new RateLimitedError(42.2));
    expect(problem.status).toBe(429);
    expect(headers['retry-after']).toBe('43');
  });

  it('carries the existing record of a conflict', () => {
    expect(toProblem(new ConflictError('taken', { id: 'c1', version: 2 })).problem.existing).toEqual({
      id: 'c1',
      version: 2,
    });
  });

  it('turns an unknown error into a 500 that reveals nothing', () => {
    const { problem, internal } = toProblem(new Error('secret table name local-records'), { correlationId: 'abc' });
    expect(internal).toBe(true);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('local-records');
    expect(problem.correlationId).toBe('abc');
  });

  it('turns a refused connection to the database into 503 with Retry-After', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    const { problem, headers } = toProblem(error);
    expect(problem.status).toBe(503);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
  });
});
