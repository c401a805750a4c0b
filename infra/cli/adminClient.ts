/**
 * The CLI's side of /v1/admin. Errors carry the exit code the command should end with and a
 * message meant for a person at a terminal.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface AdminClientOptions {
  /** Where the platform listens, e.g. http://127.0.0.1:8080. */
  url: string;
  token: string | undefined;
  exitCodes: { failure: number; unavailable: number; noPermission: number; usage: number };
  /** Sent with every request (the tenant header of the workflow API). */
  headers?: Record<string, string>;
  /** Appended to a 401/403 message: where the credential comes from. */
  authHint?: string;
}

export interface AdminClient {
  get<T>(path: string, query?: Record<string, string | readonly string[] | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const { exitCodes } = options;
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new CliError(`'${options.url}' is not a URL (set --url or AWP_URL)`, exitCodes.usage);
  }

  async function call<T>(
    method: string,
    path: string,
    query: Record<string, string | readonly string[] | undefined> = {},
    requestBody?: unknown,
  ): Promise<T> {
    const url = new URL(path, base);
    for (const [name, value] of Object.entries(query)) {
      for (const v of typeof value === 'string' ? [value] : (value ?? []))
        url.searchParams.append(name, v);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(requestBody === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(requestBody === undefined ? {} : { body: JSON.stringify(requestBody) }),
      });
    } catch (error) {
      const reason =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new CliError(
        `cannot reach AWP at ${base.origin} (${reason}); is it running? (npm start, or set --url / AWP_URL)`,
        exitCodes.unavailable,
      );
    }
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok) return body as T;
    const detail =
      (body as { detail?: string } | undefined)?.detail ??
      `${response.status} ${response.statusText}`;
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        `${detail} (${options.authHint ?? 'AWP_ADMIN_TOKEN is read from the environment'})`,
        exitCodes.noPermission,
      );
    }
    if (response.status === 503) throw new CliError(detail, exitCodes.unavailable);
    if (response.status === 400) throw new CliError(detail, exitCodes.usage);
    throw new CliError(detail, exitCodes.failure);
  }

  return {
    get: (path, query) => call('GET', path, query),
    post: (path, body) => call('POST', path, {}, body),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
