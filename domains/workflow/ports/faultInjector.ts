/**
 * Named points of the engine where a crash is interesting: the durability tests kill the
 * process at each of them (`kill -9`) and check that a restarted engine continues correctly.
 * Production uses `noFaults`.
 */
export type FaultPoint =
  | 'before-append'
  | 'after-append'
  | 'before-call'
  | 'after-call'
  | 'after-timer-scheduled'
  | 'after-emit';

export interface FaultInjector {
  reached(point: FaultPoint): void;
}

export const noFaults: FaultInjector = { reached: () => undefined };
