import { Body, Controller, Post, Response, Route, Security, Tags } from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import type { SimulationResult } from '../ports/workflowSimulator.js';
import type { SimulationBody } from './simulationModels.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/simulations`: dry runs. The real engine runs the document against the canned responses
 * given; nothing is called outside the platform, secrets are stand-ins, and no execution of the
 * account is recorded. The agent uses it to show what a draft would do before approval.
 */
@Route('v1/simulations')
@Tags('Simulations')
@Response<Problem>(400, 'Invalid request, or a document that does not validate')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class SimulationsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** Runs the document to its end against the canned responses and returns the trace. */
  @Post()
  @Security('bearer', ['execution:start'])
  @Response<Problem>(503, 'Simulation is not available in this process, or it took too long')
  public async simulate(@Body() body: SimulationBody): Promise<SimulationResult> {
    const { simulator } = this.scope.deps;
    if (!simulator) throw new AwpError('unavailable', 'dry runs are not available in this process');
    return simulator.simulate({
      accountId: this.scope.accountId,
      document: body.document,
      input: body.input ?? {},
      documents: body.documents ?? {},
      responses: (body.responses ?? []).map((r) => ({ ...r, body: r.body ?? null })),
    });
  }
}
