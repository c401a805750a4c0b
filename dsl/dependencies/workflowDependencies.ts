import type { WorkflowDefinition } from '../model/workflowModel.js';
import { pointerOf } from '../problems.js';
import { createCallDependencies } from './callDependencies.js';
import { listCredentialDependencies } from './credentialDependencies.js';
import type { WorkflowDependencies } from './dependencyModel.js';
import { dependencyTasksOf } from './dependencyTasks.js';
import { createEventDependencies } from './eventDependencies.js';
import { listResourceDependencies } from './resourceDependencies.js';
import { createTextSet } from './textKeyedMap.js';

export type {
  A2aAgentDependency,
  AsyncApiOperationDependency,
  AuthenticationDependency,
  ContainerDependency,
  EventDependency,
  ExternalResourceDependency,
  FunctionDependency,
  GrpcMethodDependency,
  HttpEndpointDependency,
  McpServerDependency,
  OpenApiOperationDependency,
  SecretDependency,
  SubWorkflowDependency,
  WorkflowDependencies,
} from './dependencyModel.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a workflow needs from outside to run: endpoints it calls, functions and sub-workflows,
 * events it consumes and emits, secrets, authentication policies and external resources, each
 * with the tasks that use it. Pure, deterministic and deduplicated; never exposes credentials.
 */
export function listDependencies(workflow: WorkflowDefinition): WorkflowDependencies {
  const root: Record<string, unknown> = isObject(workflow) ? workflow : {};
  const use = isObject(root.use) ? root.use : {};
  const functions = isObject(use.functions) ? use.functions : {};
  const catalogs = isObject(use.catalogs) ? use.catalogs : {};
  const tasks = dependencyTasksOf(root);

  const calls = createCallDependencies({
    functions: createTextSet(Object.keys(functions)),
    catalogs: createTextSet(Object.keys(catalogs)),
  });
  for (const name of Object.keys(functions)) calls.declareFunction(name);
  const events = createEventDependencies();
  const schedule = isObject(root.schedule) ? root.schedule : {};
  if (schedule.on !== undefined) events.consume(schedule.on, pointerOf(['schedule', 'on']));
  for (const task of tasks) {
    calls.visit(task);
    const { body } = task;
    if (task.kind === 'listen' && isObject(body.listen)) events.consume(body.listen.to, task.site);
    if (task.kind === 'emit' && isObject(body.emit)) events.emit(body.emit.event, task.site);
  }

  const called = calls.results();
  const { eventsConsumed, eventsEmitted } = events.results();
  const { secrets, authentications } = listCredentialDependencies(root, tasks);
  return {
    http: called.http,
    openapi: called.openapi,
    grpc: called.grpc,
    asyncapi: called.asyncapi,
    a2a: called.a2a,
    mcp: called.mcp,
    functions: called.functions,
    eventsConsumed,
    eventsEmitted,
    workflows: called.workflows,
    containers: called.containers,
    secrets,
    authentications,
    resources: listResourceDependencies(root, tasks),
  };
}
