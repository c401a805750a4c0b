import { describe, it } from 'vitest';
import { deciderSpec } from '../../../../test/support/deciderSpec.js';
import { tenantDecider } from '../decide.js';

const spec = deciderSpec(tenantDecider);
const acme = { accountId: 'acc-1', name: 'Acme Foods', tier: 'pro' as const };
const created = {
  type: 'TenantCreated' as const,
  data: { accountId: 'acc-1', accountName: 'Acme Foods', tier: 'pro' as const },
};

describe('CreateTenant', () => {
  it('creates a tenant that does not exist yet', () => {
    spec.given([]).when({ type: 'CreateTenant', data: acme }).then([created]);
  });

  it('refuses to create a tenant twice', () => {
    spec
      .given([created])
      .when({ type: 'CreateTenant', data: acme })
      .thenFails('conflict', "tenant 'acc-1' already exists");
  });

  it('refuses to create a tenant again after it was suspended', () => {
    spec
      .given([created, { type: 'TenantSuspended', data: { accountId: 'acc-1', reason: 'unpaid' } }])
      .when({ type: 'CreateTenant', data: acme })
      .thenFails('conflict', "tenant 'acc-1' already exists");
  });
});
