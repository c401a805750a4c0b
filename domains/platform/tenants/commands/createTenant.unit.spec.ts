import { describe, it } from 'vitest';
import { deciderSpec } from '../../../../test/support/deciderSpec.js';
import { tenantDecider } from '../decide.js';

const spec = deciderSpec(tenantDecider);
const acme = { accountId: 'acc-1', name: 'Acme Foods', tier: 'standard' as const };

describe('CreateTenant', () => {
  it('creates a tenant that does not exist yet', () => {
    spec
      .given([])
      .when({ type: 'CreateTenant', data: acme })
      .then([
        {
          type: 'TenantCreated',
          data: { accountId: 'acc-1', accountName: 'Acme Foods', tier: 'standard' },
        },
      ]);
  });

  it('refuses to create a tenant twice', () => {
    spec
      .given([
        {
          type: 'TenantCreated',
          data: { accountId: 'acc-1', accountName: 'Acme Foods', tier: 'standard' },
        },
      ])
      .when({ type: 'CreateTenant', data: acme })
      .thenFails('conflict', "tenant 'acc-1' already exists");
  });
});
