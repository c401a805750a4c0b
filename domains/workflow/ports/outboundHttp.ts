/**
 * Outbound HTTP as the engine needs it; `infra/http` implements it with the SSRF guard, the
 * account's allow-list, a response size cap and a time limit.
 */
export interface OutboundHttp {
  send(request: OutboundHttpRequest, options: OutboundCallOptions): Promise<OutboundHttpResponse>;
}

export interface OutboundHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** 0 returns a 3xx response as it is. */
  maxRedirects: number;
}

export interface OutboundCallOptions {
  accountId: string;
  signal: AbortSignal;
}

export interface OutboundHttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Uint8Array;
  url: string;
}

export type OutboundFailureKind = 'refused' | 'timeout' | 'too_large' | 'network';

/** A call that produced no response: refused by policy, too slow, too big, or a network error. */
export class OutboundFailure extends Error {
  override name = 'OutboundFailure';
  constructor(
    readonly kind: OutboundFailureKind,
    message: string,
  ) {
    super(message);
  }
}
