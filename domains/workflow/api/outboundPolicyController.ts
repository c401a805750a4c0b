import { Body, Controller, Get, Put, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type { OutboundPolicyBody, OutboundPolicyResult } from './apiModels.js';
import type { RequestScope } from './requestScope.js';

/** The account's outbound allow-list: what its workflows may call besides public addresses. */
@Route('v1/outbound-policy')
@Tags('Outbound policy')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class OutboundPolicyController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** The allow-list in force (empty: public addresses only). */
  @Get()
  @Security('bearer', ['policy:read'])
  public async getOutboundPolicy(): Promise<OutboundPolicyResult> {
    return this.scope.deps.outboundPolicies.get(this.scope.accountId);
  }

  /**
   * Replaces the allow-list. Entries: `host`, `host:port`, an IP, `[v6]:port` or a CIDR; names
   * match exactly, without wildcards. Loopback, private, link-local and metadata addresses are
   * reachable only through an entry here (or the operator's `AWP_OUTBOUND_ALLOW_HOSTS`).
   */
  @Put()
  @Security('bearer', ['policy:write'])
  @Response<Problem>(409, 'Changed meanwhile')
  public async setOutboundPolicy(
    @Body() policy: OutboundPolicyBody,
  ): Promise<OutboundPolicyResult> {
    return this.scope.deps.outboundPolicies.set(
      this.scope.accountId,
      policy.allowHosts,
      this.scope.actor,
      this.scope.correlationId,
    );
  }
}
