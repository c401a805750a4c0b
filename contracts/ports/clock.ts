/** Time is injected so deciders and tests are deterministic. */
export interface Clock {
  now(): Date;
}
