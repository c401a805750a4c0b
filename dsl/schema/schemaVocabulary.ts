/**
 * The words for the schema's constructs, so that messages say "a semantic version like 1.0.0"
 * rather than a regular expression. Keyed by what the schema itself contains (pattern text,
 * format names, pointers of its definitions), so a schema update that changes them falls back
 * to plainer wording instead of wrong wording.
 */

/** How a JSON Schema type is named to a YAML author. */
export const typeWords: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

const semanticVersion =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';

const uriPhrase = 'an absolute URI like https://example.com/path';
const expressionPhrase = 'a runtime expression like ${ .name }';

/** What a value matching each of the schema's patterns looks like. */
export const patternPhrases: Record<string, string> = {
  [semanticVersion]: 'a semantic version like 1.0.0',
  '^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$':
    'a name of 1 to 63 letters, digits and hyphens that starts and ends with a letter or digit',
  '^[a-zA-Z0-9](?:[a-zA-Z0-9-.]{0,61}[a-zA-Z0-9])?$': 'a host name like api.example.com',
  '^\\s*\\$\\{.+\\}\\s*$': expressionPhrase,
  '^P(?!$)(\\d+(?:\\.\\d+)?Y)?(\\d+(?:\\.\\d+)?M)?(\\d+(?:\\.\\d+)?W)?(\\d+(?:\\.\\d+)?D)?(T(?=\\d)(\\d+(?:\\.\\d+)?H)?(\\d+(?:\\.\\d+)?M)?(\\d+(?:\\.\\d+)?S)?)?$':
    'an ISO 8601 duration like PT5S',
  '^[A-Za-z][A-Za-z0-9+\\-.]*://.*': uriPhrase,
};

/** What a value of each format looks like. */
export const formatPhrases: Record<string, string> = {
  uri: 'a valid URI',
  'uri-template': 'a valid URI template',
  'date-time': 'a date and time like 2025-01-31T09:30:00Z',
  'json-pointer': 'a JSON pointer like /items/0',
};

/**
 * What a value must be when it fits none of a `oneOf`/`anyOf`'s alternatives, by the pointer of
 * the node holding it. `property` moves the sentence to a child (a call's alternatives are told
 * apart by its `call`).
 */
export const alternativesPhrases: Record<string, { phrase: string; property?: string }> = {
  '#/$defs/callTask': {
    property: 'call',
    phrase: 'one of http, grpc, openapi, asyncapi, a2a, mcp or a function name',
  },
  '#/$defs/duration': {
    phrase: `a duration: an ISO 8601 string like PT5S, ${expressionPhrase}, or an object such as { seconds: 5 }`,
  },
  '#/$defs/endpoint': {
    phrase: `an endpoint: ${uriPhrase}, ${expressionPhrase}, or an object with 'uri'`,
  },
  '#/$defs/endpoint/oneOf/2/properties/uri': { phrase: `${uriPhrase} or ${expressionPhrase}` },
  '#/$defs/uriTemplate': { phrase: uriPhrase },
  '#/$defs/flowDirective': { phrase: 'continue, exit, end or the name of a task' },
  '#/properties/timeout': {
    phrase: 'a timeout such as { after: PT30S } or the name of a timeout in use.timeouts',
  },
  '#/$defs/taskBase/properties/timeout': {
    phrase: 'a timeout such as { after: PT30S } or the name of a timeout in use.timeouts',
  },
  '#/$defs/raiseTask/allOf/1/properties/raise/properties/error': {
    phrase: "an error with 'type' and 'status', or the name of an error in use.errors",
  },
  '#/$defs/tryTask/allOf/1/properties/catch/properties/retry': {
    phrase: 'a retry policy or the name of a retry policy in use.retries',
  },
  '#/$defs/referenceableAuthenticationPolicy': {
    phrase:
      'an authentication policy (basic, bearer, digest, oauth2 or oidc) or { use: <name> } naming one in use.authentications',
  },
  '#/$defs/callTask/oneOf/0/allOf/1/properties/with': {
    phrase:
      "an object with 'document', then 'operation' or 'channel', then 'message' or 'subscription'",
  },
};

/** How one alternative is named in a list of them, by the definition it refers to. */
export const definitionPhrases: Record<string, string> = {
  '#/$defs/runtimeExpression': expressionPhrase,
  '#/$defs/uriTemplate': uriPhrase,
  '#/$defs/timeout': 'a timeout such as { after: PT30S }',
  '#/$defs/error': "an error with 'type' and 'status'",
  '#/$defs/retryPolicy': 'a retry policy',
  '#/$defs/authenticationPolicy': 'an authentication policy',
  '#/$defs/secretBasedAuthenticationPolicy': '{ use: <secret> }',
};
