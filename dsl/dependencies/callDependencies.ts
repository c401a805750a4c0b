import type {
  A2aAgentDependency,
  AsyncApiOperationDependency,
  ContainerDependency,
  FunctionDependency,
  GrpcMethodDependency,
  HttpEndpointDependency,
  McpServerDependency,
  OpenApiOperationDependency,
  SubWorkflowDependency,
} from './dependencyModel.js';
import { createDependencyIndex, definedFields, keyOf } from './dependencyIndex.js';
import type { DependencyIndex } from './dependencyIndex.js';
import type { DependencyTask } from './dependencyTasks.js';
import { endpointUri, isDynamicUri, redactUri } from './endpoints.js';
import type { TextSet } from './textKeyedMap.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const objectAt = (value: unknown, key: string): Record<string, unknown> =>
  isObject(value) && isObject(value[key]) ? value[key] : {};

type Args = Record<string, unknown>;
type Item<T> = Omit<T, 'usedBy'>;

/** An endpoint's URI with credentials removed. */
function shownUri(endpoint: unknown): string | undefined {
  const uri = endpointUri(endpoint);
  return uri === undefined ? undefined : redactUri(uri);
}

/** An external resource's URI (`{ endpoint }`, dsl-reference "External Resource"), credentials removed. */
export function resourceUri(resource: unknown): string | undefined {
  return isObject(resource) ? shownUri(resource.endpoint) : undefined;
}

/** `name:version@catalog`, dsl.md "Using Cataloged Functions". */
export function parseFunctionReference(
  reference: string,
): { name: string; version: string; catalog: string } | undefined {
  const match = /^([^:@]+):([^@]+)@(.+)$/.exec(reference);
  return match === null
    ? undefined
    : { name: match[1] as string, version: match[2] as string, catalog: match[3] as string };
}

// One reader per call the spec defines (dsl-reference "Call"): the item it needs, or undefined
// when the call is too malformed to say (the schema reports that).

function httpEndpoint(args: Args): Item<HttpEndpointDependency> | undefined {
  const uri = shownUri(args.endpoint);
  if (uri === undefined) return undefined;
  return definedFields({
    uri,
    method: text(args.method)?.toUpperCase(),
    dynamic: isDynamicUri(uri),
  });
}

function openApiOperation(args: Args): Item<OpenApiOperationDependency> | undefined {
  const document = resourceUri(args.document);
  const operationId = text(args.operationId);
  if (document === undefined || operationId === undefined) return undefined;
  return { document, operationId, dynamic: isDynamicUri(document) };
}

function grpcMethod(args: Args): Item<GrpcMethodDependency> | undefined {
  const proto = resourceUri(args.proto);
  const service = objectAt(args, 'service');
  const name = text(service.name);
  const method = text(args.method);
  if (proto === undefined || name === undefined || method === undefined) return undefined;
  const port = typeof service.port === 'number' ? service.port : undefined;
  return definedFields({ proto, service: name, host: text(service.host), port, method });
}

function asyncApiOperation(args: Args): Item<AsyncApiOperationDependency> | undefined {
  const document = resourceUri(args.document);
  if (document === undefined) return undefined;
  const mode: AsyncApiOperationDependency['mode'] =
    'message' in args ? 'publish' : 'subscription' in args ? 'subscribe' : undefined;
  return definedFields({
    document,
    operation: text(args.operation),
    channel: text(args.channel),
    mode,
  });
}

function a2aAgent(args: Args): Item<A2aAgentDependency> | undefined {
  const method = text(args.method);
  if (method === undefined) return undefined;
  const agentCard = resourceUri(args.agentCard);
  const server = shownUri(args.server);
  return definedFields({
    method,
    agentCard,
    server,
    dynamic: isDynamicUri(agentCard ?? server ?? ''),
  });
}

/** Headers, arguments and environment are left out: they are where MCP servers get tokens. */
function mcpServer(args: Args): Item<McpServerDependency> | undefined {
  const method = text(args.method);
  if (method === undefined) return undefined;
  const transport = objectAt(args, 'transport');
  const kind: McpServerDependency['transport'] =
    'http' in transport ? 'http' : 'stdio' in transport ? 'stdio' : undefined;
  return definedFields({
    method,
    transport: kind,
    endpoint: shownUri(objectAt(transport, 'http').endpoint),
    command: text(objectAt(transport, 'stdio').command),
    name: text(objectAt(args, 'parameters').name),
  });
}

/**
 * Records what one built-in call needs into `index`. The item's fields, identity first, are its
 * key: tasks calling the same thing share one item, and items sort by what they name.
 */
function recorder<T extends { usedBy: string[] }>(
  read: (args: Args) => Item<T> | undefined,
  index: DependencyIndex<T>,
): (args: Args, site: string) => void {
  return (args, site) => {
    const item = read(args);
    if (item !== undefined) index.add(JSON.stringify(item), () => item, site);
  };
}

/** Collects what calls and run tasks need: endpoints, functions, sub-workflows, images. */
export function createCallDependencies(declared: {
  functions: Pick<TextSet, 'has'>;
  catalogs: Pick<TextSet, 'has'>;
}) {
  const http = createDependencyIndex<HttpEndpointDependency>();
  const openapi = createDependencyIndex<OpenApiOperationDependency>();
  const grpc = createDependencyIndex<GrpcMethodDependency>();
  const asyncapi = createDependencyIndex<AsyncApiOperationDependency>();
  const a2a = createDependencyIndex<A2aAgentDependency>();
  const mcp = createDependencyIndex<McpServerDependency>();
  const functions = createDependencyIndex<FunctionDependency>();
  const workflows = createDependencyIndex<SubWorkflowDependency>();
  const containers = createDependencyIndex<ContainerDependency>();
  const builtIn: Record<string, (args: Args, site: string) => void> = {
    http: recorder(httpEndpoint, http),
    openapi: recorder(openApiOperation, openapi),
    grpc: recorder(grpcMethod, grpc),
    asyncapi: recorder(asyncApiOperation, asyncapi),
    a2a: recorder(a2aAgent, a2a),
    mcp: recorder(mcpServer, mcp),
  };

  const visitFunction = (reference: string, site: string) => {
    const parsed = parseFunctionReference(reference);
    functions.add(
      keyOf(reference),
      () =>
        parsed === undefined
          ? { reference, name: reference, declared: declared.functions.has(reference) }
          : {
              reference,
              ...parsed,
              declared: parsed.catalog === 'default' || declared.catalogs.has(parsed.catalog),
            },
      site,
    );
  };

  const visitRun = (run: Record<string, unknown>, site: string) => {
    const workflow = objectAt(run, 'workflow');
    const [namespace, name, version] = [workflow.namespace, workflow.name, workflow.version].map(
      text,
    );
    if (namespace !== undefined && name !== undefined && version !== undefined) {
      workflows.add(keyOf(namespace, name, version), () => ({ namespace, name, version }), site);
    }
    const image = text(objectAt(run, 'container').image);
    if (image !== undefined) containers.add(keyOf(image), () => ({ image }), site);
  };

  return {
    /** Records what `task` calls or runs. */
    visit(task: DependencyTask): void {
      const { body, site } = task;
      if (task.kind === 'call' && typeof body.call === 'string') {
        const record = Object.hasOwn(builtIn, body.call) ? builtIn[body.call] : undefined;
        if (record === undefined) visitFunction(body.call, site);
        else record(objectAt(body, 'with'), site);
      }
      if (task.kind === 'run' && isObject(body.run)) visitRun(body.run, site);
    },
    /** Declares a `use.functions` entry, so an uncalled function is listed too. */
    declareFunction(name: string): void {
      functions.add(keyOf(name), () => ({ reference: name, name, declared: true }));
    },
    results() {
      return {
        http: http.items(),
        openapi: openapi.items(),
        grpc: grpc.items(),
        asyncapi: asyncapi.items(),
        a2a: a2a.items(),
        mcp: mcp.items(),
        functions: functions.items(),
        workflows: workflows.items(),
        containers: containers.items(),
      };
    },
  };
}
