/**
 * What a workflow needs from outside, item by item. Every item says where it is used: `usedBy`
 * holds JSON pointers of tasks (`/do/0/checkStock`, `/use/functions/log`), or of the workflow-level
 * place that uses it (`/input/schema`, `/schedule/on`, `/use/authentications/petStore`).
 * Credentials never appear: authentications and secrets are named, URIs lose their user info.
 */
export interface WorkflowDependencies {
  http: HttpEndpointDependency[];
  openapi: OpenApiOperationDependency[];
  grpc: GrpcMethodDependency[];
  asyncapi: AsyncApiOperationDependency[];
  a2a: A2aAgentDependency[];
  mcp: McpServerDependency[];
  /** Custom functions: `use.functions` entries and catalog references (`log:1.0.0@global`). */
  functions: FunctionDependency[];
  eventsConsumed: EventDependency[];
  eventsEmitted: EventDependency[];
  workflows: SubWorkflowDependency[];
  containers: ContainerDependency[];
  secrets: SecretDependency[];
  authentications: AuthenticationDependency[];
  resources: ExternalResourceDependency[];
}

interface Usage {
  /** Without duplicates, sorted as JSON pointers with numeric segments compared as numbers. */
  usedBy: string[];
}

export interface HttpEndpointDependency extends Usage {
  /** The URI template as written (`https://petstore/pet/{petId}`), credentials removed. */
  uri: string;
  /** Upper case; absent when the task does not say. */
  method?: string;
  /** The URI is a runtime expression, known only when the task runs. */
  dynamic: boolean;
}

export interface OpenApiOperationDependency extends Usage {
  document: string;
  operationId: string;
  dynamic: boolean;
}

export interface GrpcMethodDependency extends Usage {
  proto: string;
  service: string;
  host?: string;
  port?: number;
  method: string;
}

export interface AsyncApiOperationDependency extends Usage {
  document: string;
  operation?: string;
  channel?: string;
  /** `publish` when the call sends a `message`, `subscribe` when it opens a `subscription`. */
  mode?: 'publish' | 'subscribe';
}

export interface A2aAgentDependency extends Usage {
  method: string;
  agentCard?: string;
  server?: string;
  dynamic: boolean;
}

export interface McpServerDependency extends Usage {
  method: string;
  transport?: 'http' | 'stdio';
  /** The HTTP transport's endpoint; headers are left out (they carry tokens). */
  endpoint?: string;
  /** The STDIO transport's command; arguments and environment are left out (they carry tokens). */
  command?: string;
  /** `parameters.name`: the tool or prompt, when written literally. */
  name?: string;
}

export interface FunctionDependency extends Usage {
  /** As written after `call:` (`log:0.5.2@global`), or the `use.functions` key. */
  reference: string;
  name: string;
  version?: string;
  catalog?: string;
  /** Defined in `use.functions`, or its catalog in `use.catalogs` (`default` is the runtime's). */
  declared: boolean;
}

export interface EventDependency extends Usage {
  /** Absent when the filter does not constrain it (then any event matches on that attribute). */
  type?: string;
  source?: string;
}

export interface SubWorkflowDependency extends Usage {
  namespace: string;
  name: string;
  version: string;
}

export interface ContainerDependency extends Usage {
  image: string;
}

export interface SecretDependency extends Usage {
  name: string;
  /** Listed in `use.secrets`; referencing an undeclared secret fails at run time. */
  declared: boolean;
}

export interface AuthenticationDependency extends Usage {
  /** The `use.authentications` name; absent for a policy written inline. */
  name?: string;
  /** `basic`, `bearer`, `certificate`, `digest`, `oauth2` or `oidc`; absent if unresolved. */
  scheme?: string;
  declared: boolean;
}

export interface ExternalResourceDependency extends Usage {
  kind: 'schema' | 'catalog' | 'script';
  uri: string;
  /** The resource's or catalog's name, if any. */
  name?: string;
  dynamic: boolean;
}
