/** The roles of a tenant's members, strongest first; `permissions.ts` says what each may do. */
export const roles = ['owner', 'admin', 'editor', 'operator', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (roles as readonly string[]).includes(value);
