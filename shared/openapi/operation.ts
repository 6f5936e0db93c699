import type { ComponentName, FormComponentName } from './components.js';

/**
 * What a route says about itself for clients: its request body (validated by the HTTP shell with the same schema)
 * and its answers. The route table (functions/routes.ts) carries one per entry; the OpenAPI document is built from
 * them (`document.ts`), so a route cannot be served and undocumented, or documented and not served.
 */

/** Media types a parsed body may come in. */
export type BodyMediaType = 'application/json' | 'application/x-www-form-urlencoded';

/** A JSON (or form) body, validated by a named component. */
export interface ParsedRequestSpec {
  readonly component: ComponentName;
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  readonly mediaTypes: readonly BodyMediaType[];
  /** An empty body is allowed (a retraction without a stated reason). */
  readonly optional?: boolean;
  /** The schema of a form post, when its values (strings) need their own (same output as the component). */
  readonly formComponent?: FormComponentName;
}

/** Opaque bytes of one media type (a PDF), never parsed. */
export interface BinaryRequestSpec {
  readonly binary: string;
  readonly maxBytes: number;
}

export interface ResponseSpec {
  readonly description: string;
  /** The JSON body; or a binary body of that media type; none when absent. */
  readonly body?: ComponentName | { readonly binary: string };
  /** The answer carries `Location` and `ETag`. */
  readonly location?: boolean;
}

export type OperationTag = 'conclusions' | 'summaries' | 'reports' | 'surveys' | 'service';

export interface OperationSpec {
  readonly operationId: string;
  readonly tag: OperationTag;
  readonly summary: string;
  readonly description?: string;
  /** A description of each `{param}` of the path. */
  readonly params?: Readonly<Record<string, string>>;
  readonly ifMatch?: 'required' | 'optional';
  readonly request?: ParsedRequestSpec | BinaryRequestSpec;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** The problem statuses it may answer. */
  readonly problems: readonly number[];
}

/** What the document needs of a route. */
export interface DocumentedRoute {
  readonly method: string;
  readonly path: string;
  readonly access: 'public' | 'agency';
  readonly operation: OperationSpec;
}

/** The statuses every body-taking agency route may answer. */
export const WRITE_ERRORS = [400, 401, 403, 413, 415, 422, 503] as const;
