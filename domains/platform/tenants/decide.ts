import type { Decider, PlatformEvent } from '../../../contracts/index.js';
import { changeTenantTier } from './commands/changeTenantTier.js';
import type { ChangeTenantTier } from './commands/changeTenantTier.js';
import { createTenant } from './commands/createTenant.js';
import type { CreateTenant } from './commands/createTenant.js';
import { reactivateTenant } from './commands/reactivateTenant.js';
import type { ReactivateTenant } from './commands/reactivateTenant.js';
import { suspendTenant } from './commands/suspendTenant.js';
import type { SuspendTenant } from './commands/suspendTenant.js';
import { evolveTenant, initialTenant } from './tenant.js';
import type { Tenant } from './tenant.js';

export type TenantCommand = CreateTenant | SuspendTenant | ReactivateTenant | ChangeTenantTier;

/** Returns the events a command causes: none when it changes nothing (the same tier again). */
export function decideTenant(command: TenantCommand, state: Tenant): PlatformEvent[] {
  switch (command.type) {
    case 'CreateTenant':
      return createTenant(command, state);
    case 'SuspendTenant':
      return suspendTenant(command, state);
    case 'ReactivateTenant':
      return reactivateTenant(command, state);
    case 'ChangeTenantTier':
      return changeTenantTier(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

export const tenantDecider: Decider<TenantCommand, Tenant, PlatformEvent> = {
  initialState: initialTenant,
  evolve: evolveTenant,
  decide: decideTenant,
};
