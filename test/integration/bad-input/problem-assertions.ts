import { expect } from 'vitest';

/** What every refusal must look like (CONTRACT.md): problem+json with type, title, status and detail. */

export interface ResponseLike {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** Asserts a refusal with one of the expected statuses, as `application/problem+json`. */
export function expectProblem(response: ResponseLike, expected: readonly number[], label: string): void {
  expect(expected, `${label}: status ${response.status}, body ${response.body.slice(0, 300)}`).toContain(
    response.status,
  );
  expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.body) as Record<string, unknown>;
  expect(problem, label).toMatchObject({ status: response.status });
  expect(typeof problem.type, label).toBe('string');
  expect(typeof problem.title, label).toBe('string');
  expect(typeof problem.detail, label).toBe('string');
  if (response.status === 422) {
    expect(Array.isArray(problem.errors), label).toBe(true);
    for (const issue of problem.errors as { path: unknown; message: unknown }[]) {
      expect(typeof issue.path, label).toBe('string');
      expect(typeof issue.message, label).toBe('string');
    }
  }
}

/** Asserts that nothing reached Object.prototype (a polluted prototype would show on every object). */
export function expectPrototypeClean(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}
