import type { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  Header,
  Path,
  Post,
  Produces,
  Query,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import { executionViewOf } from '../queries/executionView.js';
import type { ExecutionView } from '../queries/executionView.js';
import type {
  ExecutionAccepted,
  ExecutionControlBody,
  ExecutionPage,
  ExecutionStatusFilter,
  StartExecutionBody,
} from './apiModels.js';
import { openExecutionEventStream } from './executionEventStream.js';
import type { RequestScope } from './requestScope.js';

/** Executions: start, follow, list, and steer (cancel, suspend, resume). */
@Route('v1')
@Tags('Executions')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class ExecutionsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** Starts an execution of a workflow version (the latest by default); it runs on after 202. */
  @Post('workflows/{workflowId}/executions')
  @Security('bearer', ['execution:start'])
  @SuccessResponse(202, 'Accepted')
  @Response<Problem>(404, 'No such workflow or version')
  public async startExecution(
    @Path() workflowId: string,
    @Body() execution: StartExecutionBody,
  ): Promise<ExecutionAccepted> {
    const { engine } = this.scope.deps;
    const { executionId } = await engine.startExecution({
      accountId: this.scope.accountId,
      workflowId,
      version: execution.version ?? 'latest',
      input: execution.input ?? null,
      trigger: 'api',
      actor: this.scope.actor,
      correlationId: this.scope.correlationId,
    });
    const indexed = await engine.index.get(this.scope.accountId, executionId);
    const self = `/v1/executions/${executionId}`;
    this.setHeader('Location', self);
    return {
      executionId,
      status: indexed?.status ?? 'running',
      links: { self, events: `${self}/events`, workflow: `/v1/workflows/${workflowId}` },
    };
  }

  /**
   * The account's executions, newest first.
   * @param limit How many per page.
   * @param before The `next` of the previous page.
   * @isInt limit must be a whole number
   * @minimum limit 1 must be at least 1
   * @maximum limit 200 must be at most 200
   */
  @Get('executions')
  @Security('bearer', ['execution:read'])
  public async listExecutions(
    @Query() workflowId?: string,
    @Query() status?: ExecutionStatusFilter,
    @Query() limit = 50,
    @Query() before?: string,
  ): Promise<ExecutionPage> {
    const rows = await this.scope.deps.engine.index.list(this.scope.accountId, {
      limit: limit + 1,
      ...(workflowId === undefined ? {} : { workflowId }),
      ...(status === undefined ? {} : { status }),
      ...(before === undefined ? {} : { before }),
    });
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? (items.at(-1)?.executionId ?? null) : null };
  }

  /**
   * One execution: status, input, output or error, and its task history.
   * @param tasks Most task entries returned (`taskCount` says how many exist).
   * @isInt tasks must be a whole number
   * @minimum tasks 0 must be at least 0
   * @maximum tasks 10000 must be at most 10000
   */
  @Get('executions/{executionId}')
  @Security('bearer', ['execution:read'])
  @Response<Problem>(404, 'No such execution')
  public async getExecution(
    @Path() executionId: string,
    @Query() tasks = 1_000,
  ): Promise<ExecutionView> {
    await this.requireExecution(executionId);
    return this.view(executionId, tasks);
  }

  /**
   * The execution's events as Server-Sent Events (`id` = stream version, `event` = type), live
   * until the terminal event; `Last-Event-ID` resumes after that version. A comment every 15 s
   * keeps idle connections open.
   * @param lastEventId The `id` of the last event received.
   * @pattern lastEventId ^[0-9]{1,10}$ must be the id of an event of this stream
   */
  @Get('executions/{executionId}/events')
  @Security('bearer', ['execution:read'])
  @Produces('text/event-stream')
  @Response<Problem>(404, 'No such execution')
  public async streamExecutionEvents(
    @Path() executionId: string,
    @Header('last-event-id') lastEventId?: string,
  ): Promise<Readable> {
    await this.requireExecution(executionId);
    const { engine, eventPollMs, heartbeatMs } = this.scope.deps;
    this.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.setHeader('Cache-Control', 'no-cache');
    // Reverse proxies (nginx) would otherwise hold the messages back in their buffers.
    this.setHeader('X-Accel-Buffering', 'no');
    return openExecutionEventStream({
      readEvents: () => engine.readEvents(executionId),
      after: lastEventId === undefined ? 0 : Number(lastEventId),
      pollMs: eventPollMs ?? 200,
      heartbeatMs: heartbeatMs ?? 15_000,
    });
  }

  /** Cancels a running, waiting or suspended execution. */
  @Post('executions/{executionId}/cancel')
  @Security('bearer', ['execution:control'])
  @Response<Problem>(404, 'No such execution')
  @Response<Problem>(409, 'The execution has ended')
  public async cancelExecution(
    @Path() executionId: string,
    @Body() cancellation?: ExecutionControlBody,
  ): Promise<ExecutionView> {
    const { engine } = this.scope.deps;
    const reason = cancellation?.reason ?? null;
    await engine.cancel(this.scope.accountId, executionId, this.scope.actor, reason);
    return this.view(executionId);
  }

  /** Holds an execution between tasks until it is resumed. */
  @Post('executions/{executionId}/suspend')
  @Security('bearer', ['execution:control'])
  @Response<Problem>(404, 'No such execution')
  @Response<Problem>(409, 'The execution has ended or is suspended already')
  public async suspendExecution(
    @Path() executionId: string,
    @Body() suspension?: ExecutionControlBody,
  ): Promise<ExecutionView> {
    const { engine } = this.scope.deps;
    const reason = suspension?.reason ?? null;
    await engine.suspend(this.scope.accountId, executionId, this.scope.actor, reason);
    return this.view(executionId);
  }

  /** Resumes a suspended execution. */
  @Post('executions/{executionId}/resume')
  @Security('bearer', ['execution:control'])
  @Response<Problem>(404, 'No such execution')
  @Response<Problem>(409, 'The execution is not suspended')
  public async resumeExecution(
    @Path() executionId: string,
    // Accepted for symmetry with cancel and suspend; the engine records no reason for a resume.
    @Body() _resumption?: ExecutionControlBody,
  ): Promise<ExecutionView> {
    await this.scope.deps.engine.resume(this.scope.accountId, executionId, this.scope.actor);
    return this.view(executionId);
  }

  /** The index is tenant-scoped; the event stream is not, so it is read only after this check. */
  private async requireExecution(executionId: string): Promise<void> {
    const indexed = await this.scope.deps.engine.index.get(this.scope.accountId, executionId);
    if (!indexed) throw new AwpError('not_found', `execution '${executionId}' does not exist`);
  }

  private async view(executionId: string, maxTasks?: number): Promise<ExecutionView> {
    const events = await this.scope.deps.engine.readEvents(executionId);
    return executionViewOf(executionId, events, maxTasks);
  }
}
