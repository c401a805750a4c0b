/**
 * An RFC 9457 problem, as every error of the HTTP API is answered (`application/problem+json`).
 * Shared by every domain's controllers, so the OpenAPI document describes it once.
 */
export interface Problem {
  /** `https://awp.dev/problems/<code>`: stable, for scripts to branch on. */
  type: string;
  title: string;
  status: number;
  /** A sentence for the person reading it. */
  detail: string;
  instance?: string;
  /** The offending field, for validation problems; the permission, for 403. */
  field?: string;
  /** Every problem, for validation: DSL problems carry a JSON pointer, line, column and code. */
  errors?: Array<{ field: string; message: string; line?: number; column?: number; code?: string }>;
}
