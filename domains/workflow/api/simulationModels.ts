/** A canned answer: calls with this method whose URL matches the template get it. */
export interface SimulatedResponseBody {
  /** @minLength 1 @maxLength 10 */
  method: string;
  /**
   * Absolute URL template; `{name}` matches one path segment.
   * @minLength 1
   * @maxLength 2000
   */
  url: string;
  /** @isInt @minimum 100 @maximum 599 */
  status: number;
  body?: unknown;
}

/** What to dry-run and against what. */
export interface SimulationBody {
  /**
   * The workflow document (YAML or JSON text).
   * @minLength 1
   */
  document: string;
  input?: unknown;
  /** Documents the workflow loads (`call: openapi`), by the URI it names them with. */
  documents?: { [uri: string]: unknown };
  /** @maxItems 500 */
  responses?: SimulatedResponseBody[];
}
