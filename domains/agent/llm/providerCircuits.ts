import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import type { CircuitBreakerPolicy, IBackoff, IBackoffFactory } from 'cockatiel';
import type { Clock } from '../../../contracts/index.js';
import { LlmProviderError } from './llmProvider.js';

export interface CircuitOptions {
  /** Failures in a row that open a provider's circuit. Default 3. */
  consecutiveFailures?: number;
  /** How long an open circuit refuses calls before one test call is let through. Default 30 s. */
  halfOpenAfterMs?: number;
}

export type CircuitStatus = 'closed' | 'open' | 'half_open';

/** Thrown instead of calling a provider whose circuit is open. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
  constructor(readonly provider: string) {
    super(`provider '${provider}' failed repeatedly and is rested for now (circuit open)`);
  }
}

/**
 * Failures that say the provider is unwell, not the request: these open its circuit. A bad
 * request or filtered content says nothing about the provider's health.
 */
export function countsAgainstProvider(error: unknown): boolean {
  return error instanceof LlmProviderError && (error.retryable || error.kind === 'authentication');
}

/**
 * One cockatiel circuit breaker per provider name, created on first use and kept for the
 * router's lifetime, so a failing vendor is skipped by every call of every tenant.
 */
export class ProviderCircuits {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly threshold: number;
  private readonly halfOpenAfterMs: number;

  constructor(
    private readonly clock: Clock,
    options: CircuitOptions = {},
  ) {
    this.threshold = options.consecutiveFailures ?? 3;
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? 30_000;
  }

  /** Runs `attempt` through the provider's breaker; throws CircuitOpenError when it is open. */
  async run<T>(provider: string, attempt: () => Promise<T>): Promise<T> {
    try {
      return await this.breakerOf(provider).execute(attempt);
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(provider);
      throw error;
    }
  }

  /** Counts a failure that happened after `run` had returned (a stream that died midway). */
  async recordFailure(provider: string, error: unknown): Promise<void> {
    if (!countsAgainstProvider(error)) return;
    await this.breakerOf(provider)
      .execute(() => Promise.reject(error))
      .catch(() => undefined);
  }

  status(provider: string): CircuitStatus {
    const state = this.breakers.get(provider)?.state ?? CircuitState.Closed;
    if (state === CircuitState.HalfOpen) return 'half_open';
    return state === CircuitState.Closed ? 'closed' : 'open';
  }

  private breakerOf(provider: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(countsAgainstProvider), {
        halfOpenAfter: new ClockBackoff(this.clock, this.halfOpenAfterMs),
        breaker: new ConsecutiveBreaker(this.threshold),
      });
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}

/**
 * cockatiel times an open circuit with Date.now(): it lets a test call through once
 * `Date.now() - openedAt >= backoff.duration`. Reading `duration` as "the rest still owed by
 * the injected clock, plus the wall time cockatiel has already counted" makes that test true
 * exactly when the injected clock has advanced `halfOpenAfterMs`, so tests and simulations
 * control half-opening; with the system clock it is the plain constant.
 */
class ClockBackoff implements IBackoffFactory<unknown> {
  constructor(
    private readonly clock: Clock,
    private readonly halfOpenAfterMs: number,
  ) {}

  next(): IBackoff<unknown> {
    const clock = this.clock;
    const openedAt = clock.now().getTime();
    const wallOpenedAt = Date.now();
    const halfOpenAfterMs = this.halfOpenAfterMs;
    return {
      get duration() {
        const owed = halfOpenAfterMs - (clock.now().getTime() - openedAt);
        return owed + (Date.now() - wallOpenedAt);
      },
      next: () => this.next(),
    };
  }
}
