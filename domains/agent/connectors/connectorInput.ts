import { AwpError } from '../../../contracts/index.js';

/** What every import names: the connector, and optionally its credential. */
export interface ConnectorImport {
  name: string;
  credentials?: ConnectorCredentialInput;
}

/**
 * The credential of a connector: a tenant secret by name, and, when given, the value to store
 * under that name. The value goes to the secret vault and nowhere else.
 */
export interface ConnectorCredentialInput {
  secretName: string;
  value?: string;
}

/** Letters, digits, spaces, `.`, `_` and `-`, starting with a letter or digit, at most 100. */
export const connectorNamePattern = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
/** The platform's rule for secret names, so a workflow reads it as `$secrets.<name>`. */
export const secretNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const maxCredentialBytes = 64 * 1024;
const maxUrlLength = 2_048;

/** The import with its name trimmed, or a `validation` error naming the field. */
export function checkedImport(request: ConnectorImport): ConnectorImport {
  const name = typeof request.name === 'string' ? request.name.trim() : '';
  if (!connectorNamePattern.test(name)) {
    throw new AwpError(
      'validation',
      "a connector name is 1 to 100 letters, digits, spaces, '.', '_' or '-', starting with a " +
        'letter or digit',
      { field: 'name' },
    );
  }
  const credentials = request.credentials;
  if (credentials === undefined) return { name };
  if (!secretNamePattern.test(credentials.secretName)) {
    throw new AwpError(
      'validation',
      'a secret name starts with a letter or _, then letters, digits or _ (at most 128)',
      { field: 'credentials.secretName' },
    );
  }
  const { value } = credentials;
  if (value !== undefined) {
    // The value is never echoed, not even in part: only its size is spoken of.
    if (typeof value !== 'string' || value === '') {
      throw new AwpError('validation', 'a credential value is a non-empty string', {
        field: 'credentials.value',
      });
    }
    if (Buffer.byteLength(value, 'utf8') > maxCredentialBytes) {
      throw new AwpError(
        'validation',
        `a credential value is at most ${maxCredentialBytes / 1024} KiB`,
        {
          field: 'credentials.value',
        },
      );
    }
  }
  return {
    name,
    credentials: { secretName: credentials.secretName, ...(value !== undefined ? { value } : {}) },
  };
}

/**
 * An absolute http(s) URL without user:password, or a `validation` error (field `url`). The
 * text is not echoed: it may carry a token. Where it may lead is the fetcher's SSRF guard's call.
 */
export function checkedUrl(url: string): string {
  const refuse = (message: string) => new AwpError('validation', message, { field: 'url' });
  if (typeof url !== 'string' || url.length > maxUrlLength) {
    throw refuse(`the document URL must be at most ${maxUrlLength} characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('the document URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw refuse(`the document URL must be http or https, not ${parsed.protocol.slice(0, 20)}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw refuse('the document URL must not carry credentials (user:password@); use `credentials`');
  }
  return parsed.href;
}
