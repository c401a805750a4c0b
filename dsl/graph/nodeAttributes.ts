import { endpointUri, redactUri } from '../dependencies/endpoints.js';
import type { GraphNodeKind } from './graphModel.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/**
 * A duration as ISO 8601 (`PT10S`); a string (ISO or runtime expression) is kept as written.
 * Milliseconds become a decimal fraction of seconds, as ISO 8601 allows.
 */
export function formatDuration(duration: unknown): string | undefined {
  if (typeof duration === 'string') return duration;
  if (!isObject(duration)) return undefined;
  const part = (key: string): number => (typeof duration[key] === 'number' ? duration[key] : 0);
  const seconds = part('seconds') + part('milliseconds') / 1000;
  const date = part('days') > 0 ? `${part('days')}D` : '';
  const time = [
    part('hours') > 0 ? `${part('hours')}H` : '',
    part('minutes') > 0 ? `${part('minutes')}M` : '',
    seconds > 0 ? `${Number(seconds.toFixed(3))}S` : '',
  ].join('');
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

type Attributes = Record<string, string>;

function callAttributes(task: Record<string, unknown>, into: Attributes): void {
  const call = stringOf(task.call);
  if (call !== undefined) into.call = call;
  const args = isObject(task.with) ? task.with : {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) into[key] = value;
  };
  if (call === 'http') {
    set('method', stringOf(args.method)?.toUpperCase());
    const uri = endpointUri(args.endpoint);
    set('endpoint', uri === undefined ? undefined : redactUri(uri));
  } else if (call === 'openapi') {
    set('operationId', stringOf(args.operationId));
  } else if (call === 'grpc') {
    const service = isObject(args.service) ? stringOf(args.service.name) : undefined;
    const method = stringOf(args.method);
    set('method', service === undefined ? method : `${service}/${method ?? ''}`);
  } else if (call === 'asyncapi') {
    set('operation', stringOf(args.operation) ?? stringOf(args.channel));
  } else if (call === 'a2a' || call === 'mcp') {
    set('method', stringOf(args.method));
  }
}

function runAttributes(run: unknown, into: Attributes): void {
  if (!isObject(run)) return;
  const process = ['container', 'script', 'shell', 'workflow'].find((key) => key in run);
  if (process === undefined) return;
  into.run = process;
  const spec = isObject(run[process]) ? run[process] : {};
  if (process === 'container' && stringOf(spec.image)) into.image = stringOf(spec.image) as string;
  if (process === 'script' && stringOf(spec.language)) {
    into.language = stringOf(spec.language) as string;
  }
  if (process === 'workflow' && stringOf(spec.name)) {
    const namespace = stringOf(spec.namespace);
    const version = stringOf(spec.version);
    into.workflow = `${namespace === undefined ? '' : `${namespace}/`}${String(spec.name)}${
      version === undefined ? '' : `:${version}`
    }`;
  }
}

/** Event types a listen task waits for, in the order written (one / any / all, not `until`). */
function listenedTypes(to: Record<string, unknown>): string[] {
  const filters = [
    to.one,
    ...(Array.isArray(to.any) ? to.any : []),
    ...(Array.isArray(to.all) ? to.all : []),
  ];
  return filters.flatMap((filter) => {
    const type = isObject(filter) && isObject(filter.with) ? stringOf(filter.with.type) : undefined;
    return type === undefined ? [] : [type];
  });
}

/** A few display values per task kind; never data, bodies or credentials. */
export function nodeAttributes(kind: GraphNodeKind, body: unknown): Attributes {
  const task = isObject(body) ? body : {};
  const into: Attributes = {};
  if (kind === 'call') callAttributes(task, into);
  if (kind === 'run') runAttributes(task.run, into);
  if (kind === 'wait') {
    const duration = formatDuration(task.wait);
    if (duration !== undefined) into.duration = duration;
  }
  if (kind === 'for' && isObject(task.for)) {
    into.each = stringOf(task.for.each) ?? 'item';
    if (stringOf(task.for.in) !== undefined) into.in = stringOf(task.for.in) as string;
    if (stringOf(task.for.at) !== undefined) into.at = stringOf(task.for.at) as string;
    if (stringOf(task.while) !== undefined) into.while = stringOf(task.while) as string;
  }
  if (kind === 'fork' && isObject(task.fork) && task.fork.compete === true) into.compete = 'true';
  if (kind === 'emit' && isObject(task.emit) && isObject(task.emit.event)) {
    const event = isObject(task.emit.event.with) ? task.emit.event.with : task.emit.event;
    if (stringOf(event.type) !== undefined) into.event = stringOf(event.type) as string;
  }
  if (kind === 'listen' && isObject(task.listen) && isObject(task.listen.to)) {
    const to = task.listen.to;
    const mode = ['one', 'any', 'all'].find((key) => key in to);
    if (mode !== undefined) into.to = mode;
    const types = listenedTypes(to);
    if (types.length > 0) into.events = types.join(', ');
  }
  if (kind === 'raise' && isObject(task.raise)) {
    const error = task.raise.error;
    const type =
      typeof error === 'string' ? error : isObject(error) ? stringOf(error.type) : undefined;
    if (type !== undefined) into.error = type;
  }
  if (kind === 'try' && isObject(task.catch) && task.catch.retry !== undefined) {
    into.retry = stringOf(task.catch.retry) ?? 'inline';
  }
  if (typeof task.if === 'string') into.if = task.if;
  return into;
}
