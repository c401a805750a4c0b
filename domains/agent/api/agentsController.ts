import { Body, Controller, Get, Path, Put, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type { AgentConfigBody, AgentList, AgentView } from './agentModels.js';
import { changeOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/agents`: the account's agent configurations: model policy (preferred models, fallbacks,
 * cost cap), repair budget and instructions. The agent `default` is the tenant-wide policy.
 */
@Route('v1/agents')
@Tags('Agents')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class AgentsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** The account's agents, by id. */
  @Get()
  @Security('bearer', ['agent:read'])
  public async listAgents(): Promise<AgentList> {
    return { items: (await this.scope.deps.agents.list(this.scope.accountId)) as AgentView[] };
  }

  /** One agent's configuration. */
  @Get('{agentId}')
  @Security('bearer', ['agent:read'])
  @Response<Problem>(404, 'No such agent')
  public async getAgent(@Path() agentId: string): Promise<AgentView> {
    return (await this.scope.deps.agents.get(this.scope.accountId, agentId)) as AgentView;
  }

  /** Creates or replaces an agent's configuration (an `AgentConfigured` event). */
  @Put('{agentId}')
  @Security('bearer', ['agent:write'])
  public async putAgent(
    @Path() agentId: string,
    @Body() config: AgentConfigBody,
  ): Promise<AgentView> {
    return (await this.scope.deps.agents.put(
      { accountId: this.scope.accountId, ...changeOf(this.scope) },
      agentId,
      config,
    )) as AgentView;
  }
}
