import { v7 as uuidv7 } from 'uuid';
import type { Clock, IdGenerator } from '../../contracts/index.js';

export const systemClock: Clock = { now: () => new Date() };

/** UUIDv7: unique, and sortable by creation time (keyset pagination relies on that). */
export const uuidV7Ids: IdGenerator = { newId: () => uuidv7() };
