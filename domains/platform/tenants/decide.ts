import type { Decider, PlatformEvent } from '../../../contracts/index.js';
import { createTenant } from './commands/createTenant.js';
import type { CreateTenant } from './commands/createTenant.js';
import { evolveTenant, initialTenant } from './tenant.js';
import type { Tenant } from './tenant.js';

export type TenantCommand = CreateTenant;

export function decideTenant(command: TenantCommand, state: Tenant): PlatformEvent[] {
  switch (command.type) {
    case 'CreateTenant':
      return createTenant(command, state);
    default: {
      const unknownCommand: never = command.type;
      return unknownCommand;
    }
  }
}

export const tenantDecider: Decider<TenantCommand, Tenant, PlatformEvent> = {
  initialState: initialTenant,
  evolve: evolveTenant,
  decide: decideTenant,
};
