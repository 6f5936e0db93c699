/**
 * The route table: one entry per HTTP handler. The local gateway (`local/gateway.ts`) dispatches with it and
 * the CDK API stack (`infra/`) creates one NodejsFunction and one route per entry, so the two cannot drift.
 * `entry` is relative to the repository root; each module exports `handler`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  /** Stable name: the Lambda function's logical id and log group. */
  readonly name: string;
  readonly method: HttpMethod;
  /** API Gateway v2 route path, with `{param}` placeholders. */
  readonly path: string;
  readonly entry: string;
  /** Who may call it: `agency` routes verify a signed JWT in the handler (CONTRACT.md). */
  readonly access: 'public' | 'agency';
  /** Steady-state requests per second and burst allowed at the API stage for this route. */
  readonly throttle: { readonly rate: number; readonly burst: number };
  /** Tables the handler needs and how: drives least-privilege grants in CDK. */
  readonly tables: { readonly records?: 'read' | 'write'; readonly stats?: 'read' | 'write' };
  /** Other resources the handler needs: drives grants and environment in CDK. */
  readonly needs?: readonly ('attachments-bucket' | 'dossier-hmac-secret')[];
}

export const routes: readonly RouteDefinition[] = [
  {
    name: 'health',
    method: 'GET',
    path: '/api/v1/health',
    entry: 'functions/health/handler.ts',
    access: 'public',
    throttle: { rate: 50, burst: 100 },
    tables: { records: 'read' },
  },
];

/** Matches a concrete path against a route path; returns the path parameters or undefined. */
export function matchPath(routePath: string, actualPath: string): Record<string, string> | undefined {
  const want = routePath.split('/');
  const got = actualPath.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}
