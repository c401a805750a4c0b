import {
  Body,
  Controller,
  Middlewares,
  Post,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type { CloudEventBody, EventDelivery } from './apiModels.js';
import { cloudEventFromBinaryMode } from './requestBodies.js';
import type { RequestScope } from './requestScope.js';

/** CloudEvents into the account's waiting `listen` tasks. */
@Route('v1/events')
@Tags('Events')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class CloudEventsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /**
   * Delivers a CloudEvent 1.0 to every waiting `listen` task of the account whose filter it
   * matches; each delivery is recorded in its execution before this answers. An event nobody
   * waits for is accepted and delivered to none (it is not kept for later listeners).
   */
  @Post()
  @Security('bearer', ['event:publish'])
  @Middlewares(cloudEventFromBinaryMode)
  @SuccessResponse(202, 'Accepted')
  public async publishEvent(@Body() event: CloudEventBody): Promise<EventDelivery> {
    return this.scope.deps.engine.publish(this.scope.accountId, event);
  }
}
