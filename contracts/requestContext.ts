import type { Actor } from './envelope.js';
import type { Role } from './roles.js';

/** What the gateway knows about a request once it has authenticated it. */
export interface RequestContext {
  correlationId: string;
  actor: Actor;
  /** The tenant the caller acts for; absent for platform-level calls such as creating tenants. */
  accountId?: string;
  /** The caller's roles in that account (none without one). */
  roles?: readonly Role[];
}
