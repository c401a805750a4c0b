/**
 * `true` only when A and B are the same union. An API validates some values against an enum
 * (tsoa then says which values are allowed, where a failed union only says it matched none);
 * `const _x: SameMembers<`${SomeEnum}`, DomainUnion> = true` keeps the two in step.
 */
export type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
