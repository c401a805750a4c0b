import { childMap, mapEntries } from './blockOutline.js';
import type { BlockNode, BlockOutline } from './blockOutline.js';

/*
 * Values the schema does not enumerate but an author picks from: names the document declares
 * under `use`, and, where the schema leaves a field open, the values commonly written there.
 */

export type UseSection = 'functions' | 'authentications' | 'errors' | 'retries' | 'timeouts';

/** Schema titles of the string branches that name something declared in a `use` section. */
export const referenceSectionByTitle: Readonly<Record<string, UseSection>> = {
  TimeoutReference: 'timeouts',
  TaskTimeoutReference: 'timeouts',
  RetryPolicyReference: 'retries',
  RaiseErrorReference: 'errors',
  ReferenceableAuthenticationPolicyName: 'authentications',
};

/**
 * The schema types `with.method` of an HTTP call as a plain string; these are the methods of
 * RFC 9110, lower case as the spec's examples and the CTK write them.
 */
export const httpMethodTitle = 'HTTPMethod';
export const commonHttpMethods = [
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
] as const;

/** What each flow keyword does: the first sentences of dsl-reference.md, "Flow Directive". */
export const flowKeywordDetails: Readonly<Record<string, string>> = {
  continue: 'Instructs the workflow to proceed with the next task in line.',
  exit: "Completes the current scope's execution.",
  end: 'Provides a graceful conclusion to the workflow execution.',
};

/** The names declared under `use.<section>` of the document whose root mapping is `root`. */
export function declaredNames(
  outline: BlockOutline,
  root: BlockNode,
  section: UseSection,
): string[] {
  const use = mapEntries(outline, root).find((entry) => entry.key === 'use');
  const resources = use === undefined ? undefined : childMap(outline, use);
  if (resources === undefined) return [];
  const declared = mapEntries(outline, resources).find((entry) => entry.key === section);
  const names = declared === undefined ? undefined : childMap(outline, declared);
  return names === undefined ? [] : mapEntries(outline, names).map((entry) => entry.key);
}
