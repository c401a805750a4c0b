import type { SameMembers } from '../../../contracts/api/index.js';
import type { Role, TenantTier } from '../../../contracts/index.js';
import type { ApiKeyView } from '../apiKeys/apiKeys.js';
import type { SecretMetadata } from '../secrets/secretVault.js';
import type { TenantStatus } from '../tenants/tenant.js';

/*
 * The bodies the platform API takes and returns besides the domain's own views (TenantSummary,
 * TenantPage, UsageReport, SecretMetadata, ApiKeyView): tsoa validates requests against these
 * types and writes them into the OpenAPI document, so their JSDoc is the API's documentation.
 */

// Enums rather than the domain's union types: tsoa checks an enum as one value among several
// and says which are allowed, where a union's failure only says it matched none of its forms.

/** A tenant's tier; each has its limits (the README's tier table). */
export enum Tier {
  free = 'free',
  pro = 'pro',
  enterprise = 'enterprise',
}
/** Compiles only while the enum lists exactly the domain's tiers. */
const _everyTier: SameMembers<`${Tier}`, TenantTier> = true;

/** A role of a tenant's member or API key (the README's permission matrix). */
export enum MemberRole {
  owner = 'owner',
  admin = 'admin',
  editor = 'editor',
  operator = 'operator',
  viewer = 'viewer',
}
/** Compiles only while the enum lists exactly the roles of `contracts/roles.ts`. */
const _everyRole: SameMembers<`${MemberRole}`, Role> = true;

/** Tenants in this status only. */
export enum TenantStatusFilter {
  active = 'active',
  suspended = 'suspended',
}
/** Compiles only while the filter lists exactly the tenants' statuses. */
const _everyStatus: SameMembers<`${TenantStatusFilter}`, TenantStatus> = true;

/**
 * A tenant's id, as the operator names it: the UUID its creation answered.
 * @pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ must be a UUID
 */
export type TenantId = string;

/** A tenant for the operator to register. */
export interface NewTenant {
  /**
   * Unique regardless of case; leading and trailing spaces are dropped.
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   * @pattern \S must not be blank
   */
  name: string;
  /** `free` when absent. */
  tier?: Tier;
}

/** Which tenants to list, page by page. */
export interface TenantListQuery {
  /**
   * How many per page.
   * @isInt must be a whole number
   * @minimum 1 must be at least 1
   * @maximum 200 must be at most 200
   * @default 50
   */
  limit?: number;
  /**
   * The `nextCursor` of the previous page.
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   */
  after?: string;
  status?: TenantStatusFilter;
}

export interface Suspension {
  /**
   * Why, shown to the operator and recorded in the tenant's history.
   * @minLength 1 must not be empty
   * @maxLength 500 must be at most 500 characters
   * @pattern \S must not be blank
   */
  reason: string;
}

/** Reactivation takes nothing: an empty object, or no body at all. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- tsoa refuses any property of it
export interface Reactivation {}

export interface TierChange {
  tier: Tier;
}

/** The tenant as an operator's command left it; the read model shows it once at `version`. */
export interface TenantStanding {
  accountId: string;
  name: string;
  tier: TenantTier;
  status: TenantStatus;
  /** Why the operator suspended the tenant; null while it is active. */
  suspendedReason: string | null;
  version: number;
}

/** A secret's new value. */
export interface SecretValue {
  /** Any JSON but null, at most 64 KiB once serialized. Never returned by any endpoint. */
  value: unknown;
}

export interface SecretList {
  items: SecretMetadata[];
}

/** What a master-key rotation moved: how many secrets, and the names it could not open. */
export interface RewrapReport {
  rewrapped: number;
  failed: string[];
}

/** A machine credential for the caller's account. */
export interface NewApiKey {
  /**
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   * @pattern \S must not be blank
   */
  name: string;
  /**
   * What the key may do; none stronger than the caller's own.
   * @minItems 1 must name at least one role
   * @maxItems 5 must name each role at most once
   */
  roles: MemberRole[];
}

/** A new key: the only answer that contains `key`. */
export interface CreatedApiKey extends ApiKeyView {
  /** `awp_<keyId>_<secret>`, for `Authorization: Bearer`. Store it now: it is never shown again. */
  key: string;
}

export interface ApiKeyList {
  items: ApiKeyView[];
}

/**
 * An API key's id.
 * @pattern ^[0-9a-f]{24}$ must be an API key id (24 hex digits)
 */
export type ApiKeyId = string;
