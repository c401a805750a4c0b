import { describe } from 'vitest';
import { systemClock, uuidV7Ids } from '../system/systemClock.js';
import { describeWithServices } from '../../test/support/realServices.js';
import { openTestDatabase } from '../../test/support/testDatabases.js';
import type { DatabaseKind } from '../../test/support/testDatabases.js';
import { eventStoreContract } from '../../test/contracts/eventStoreContract.js';
import { eventStoreMigrations } from './eventStoreMigrations.js';
import { createPgEventStore } from './pgEventStore.js';

const openStore = (kind: DatabaseKind) => async () => {
  const opened = await openTestDatabase(kind, eventStoreMigrations);
  return {
    db: opened.db,
    store: createPgEventStore({ db: opened.db, clock: systemClock, ids: uuidV7Ids }),
    close: opened.close,
  };
};

describe('event store on PGlite (embedded profile)', () => {
  eventStoreContract(openStore('pglite'));
});

describeWithServices(['postgres'], 'event store on PostgreSQL (distributed profile)', () => {
  eventStoreContract(openStore('postgres'));
});
