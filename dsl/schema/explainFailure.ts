import type { ErrorObject } from 'ajv/dist/2020.js';
import { branchFit, fitLevels, plausibleBranches } from './branchFit.js';
import { closestName } from './closestName.js';
import { childOf, decodePointer, splitPointer } from './instancePaths.js';
import type { Segment } from './instancePaths.js';
import {
  childPointer,
  childStep,
  compositeOf,
  declaredNames,
  isPassThrough,
  needsErrorOrigins,
  nodeAt,
  propertiesOf,
  sameValueSteps,
} from './schemaNodes.js';
import type { SchemaNode } from './schemaNodes.js';

/**
 * One thing wrong with the document, reduced from ajv's errors but not yet worded. `at` is the
 * path of the offending value (for an unknown property: of the object holding it).
 */
export type Finding =
  | {
      kind: 'keyword';
      at: Segment[];
      keyword: string;
      params: Record<string, unknown>;
      /** Pointer of the schema node whose keyword failed. */
      pointer: string;
    }
  | { kind: 'required'; at: Segment[]; missing: string[] }
  /** `suggestion`: the declared name it is probably a typo of. */
  | { kind: 'unknown-property'; at: Segment[]; name: string; suggestion?: string }
  /** The value fits none of a `oneOf`/`anyOf`'s alternatives well enough to say which was meant. */
  | { kind: 'no-alternative'; at: Segment[]; pointer: string }
  /** The value claims (or satisfies) several alternatives where exactly one is allowed. */
  | { kind: 'several-alternatives'; at: Segment[]; pointer: string; branches: number[] }
  /** The document is invalid but nothing above explains it (a schema construct not handled). */
  | { kind: 'unexplained'; at: Segment[]; message: string };

/** The schema and a way to validate a value against any of its subschemas. */
export interface ExplainContext {
  root: SchemaNode;
  /** Every error of `value` against the subschema at `pointer`, each with its `parentSchema`. */
  validateAt(pointer: string, value: unknown): ErrorObject[];
}

/**
 * The errors seen by one schema node at one value, with instance paths relative to that value.
 * `verbose` when they carry `parentSchema`, which only nodes with `$ref`/`allOf`/`oneOf`/… need.
 */
interface NodeErrors {
  list: Array<{ error: ErrorObject; path: string }>;
  verbose: boolean;
}

const nodeErrors = (errors: readonly ErrorObject[], verbose: boolean): NodeErrors => ({
  list: errors.map((error) => ({ error, path: error.instancePath })),
  verbose,
});

/**
 * Explains why `value` fails the schema, from ajv's `allErrors` output for the whole document
 * (plain errors suffice: origins are looked up only where needed).
 *
 * ajv reports every error of every alternative it tried, and restarts `schemaPath` at each
 * referenced definition, so its flat list cannot say which alternative an error came from. This
 * walks the schema beside the document instead. Where a node alone evaluates its value (only
 * `properties`/`items`), its errors split exactly by instance path: those at the value are its
 * own, the rest go to the child named by their first segment. Where several subschemas see the
 * same value (`$ref`, `allOf`, `oneOf`, `if`), the node is validated again with `parentSchema`
 * and each subschema alone, so every error is explained once, by the subschema that produced it.
 * A failed `oneOf`/`anyOf` is explained by the alternative the value was plainly meant for.
 */
export function explainFailure(
  context: ExplainContext,
  value: unknown,
  errors: readonly ErrorObject[],
): Finding[] {
  const findings = withoutMisspeltRequired(
    explainNode(context, '#', value, [], nodeErrors(errors, false)),
  );
  const [first] = errors;
  if (findings.length > 0 || first === undefined) return findings;
  const message = first.message ?? 'is invalid';
  return [{ kind: 'unexplained', at: decodePointer(first.instancePath, value), message }];
}

/**
 * `methd: get` is both an unknown property and a missing `method`: the unknown property, with
 * its suggestion, says it once.
 */
function withoutMisspeltRequired(findings: Finding[]): Finding[] {
  const suggested = new Set(
    findings.flatMap((finding) =>
      finding.kind === 'unknown-property' && finding.suggestion !== undefined
        ? [JSON.stringify([...finding.at, finding.suggestion])]
        : [],
    ),
  );
  return findings.flatMap((finding): Finding[] => {
    if (finding.kind !== 'required') return [finding];
    const missing = finding.missing.filter(
      (name) => !suggested.has(JSON.stringify([...finding.at, name])),
    );
    return missing.length > 0 ? [{ ...finding, missing }] : [];
  });
}

function explainNode(
  context: ExplainContext,
  pointer: string,
  value: unknown,
  at: Segment[],
  errors: NodeErrors,
): Finding[] {
  if (errors.list.length === 0) return [];
  const node = nodeAt(context.root, pointer);
  if (node === undefined || node === true) return [];
  if (node === false)
    return [{ kind: 'keyword', at, keyword: 'false schema', params: {}, pointer }];
  if (isPassThrough(node)) {
    return explainNode(context, sameValueSteps(node, pointer)[0]!, value, at, errors);
  }
  // Where only this node evaluates its value, every error at the value is its own; elsewhere
  // its `parentSchema` says, so plain errors are traded for verbose ones of this subtree.
  const byOrigin = needsErrorOrigins(node);
  if (byOrigin && !errors.verbose) errors = nodeErrors(context.validateAt(pointer, value), true);
  const isOwn = ({ error, path }: NodeErrors['list'][number]) =>
    path === '' && (!byOrigin || error.parentSchema === node);
  const own = errors.list.filter(isOwn).map(({ error }) => error);
  const rest = { list: errors.list.filter((located) => !isOwn(located)), verbose: errors.verbose };

  const findings: Finding[] = [];
  const composite = compositeOf(node);
  const failed = own.find((error) => error.keyword === composite?.keyword);
  if (failed !== undefined)
    findings.push(...explainAlternatives(context, pointer, value, at, failed));
  const missing = own.flatMap((error) =>
    error.keyword === 'required' ? [String(error.params.missingProperty)] : [],
  );
  if (missing.length > 0) findings.push({ kind: 'required', at, missing });
  for (const error of own) {
    switch (error.keyword) {
      case 'oneOf':
      case 'anyOf':
      case 'required':
      case 'if': // "must match then schema": the then/else errors say what is wrong
        break;
      case 'unevaluatedProperties':
      case 'additionalProperties': {
        const name = String(error.params.unevaluatedProperty ?? error.params.additionalProperty);
        const known = declaredNames(context.root, pointer);
        // When an alternative failed, ajv counts none of its properties as evaluated: a name some
        // alternative declares is not unknown, the alternative's own errors say what is wrong.
        if (failed !== undefined && known.has(name)) break;
        const suggestion = closestName(name, known);
        findings.push({ kind: 'unknown-property', at, name, ...(suggestion && { suggestion }) });
        break;
      }
      default:
        findings.push({
          kind: 'keyword',
          at,
          keyword: error.keyword,
          params: error.params,
          pointer,
        });
    }
  }
  if (rest.list.length > 0) findings.push(...explainChildren(context, pointer, value, at, rest));
  return findings;
}

function explainChildren(
  context: ExplainContext,
  pointer: string,
  value: unknown,
  at: Segment[],
  errors: NodeErrors,
): Finding[] {
  const node = nodeAt(context.root, pointer) as Record<string, unknown>;
  const findings: Finding[] = [];
  const explainChild = (
    segment: Segment,
    childErrors: (step: string, child: unknown) => NodeErrors,
  ) => {
    const step = childStep(node, pointer, segment);
    if (step === undefined) return;
    const child = childOf(value, segment);
    findings.push(...explainNode(context, step, child, [...at, segment], childErrors(step, child)));
  };

  if (!needsErrorOrigins(node)) {
    const groups = new Map<string, NodeErrors['list']>();
    for (const { error, path } of errors.list) {
      const { head, tail } = splitPointer(path);
      if (head === undefined) continue;
      const group = groups.get(head) ?? [];
      group.push({ error, path: tail });
      groups.set(head, group);
    }
    for (const [head, list] of groups) {
      const segment = Array.isArray(value) ? Number(head) : head;
      explainChild(segment, () => ({ list, verbose: errors.verbose }));
    }
    return findings;
  }

  const steps = [
    ...sameValueSteps(node, pointer),
    ...conditionalStep(context, node, pointer, value),
  ];
  for (const step of steps) {
    findings.push(
      ...explainNode(context, step, value, at, nodeErrors(context.validateAt(step, value), true)),
    );
  }
  const consumes =
    Object.keys(propertiesOf(node)).length > 0 || 'additionalProperties' in node || 'items' in node;
  if (!consumes) return findings;
  // Errors under a child may also come from the subschemas above; validating the child alone
  // keeps only its own.
  const failing = new Set(errors.list.map(({ path }) => splitPointer(path).head));
  const children: Segment[] = Array.isArray(value)
    ? value.map((_, i) => i)
    : typeof value === 'object' && value !== null
      ? Object.keys(value)
      : [];
  for (const segment of children) {
    if (!failing.has(String(segment))) continue;
    explainChild(segment, (step, child) => nodeErrors(context.validateAt(step, child), true));
  }
  return findings;
}

/** `then` or `else`, whichever applies to the value. */
function conditionalStep(
  context: ExplainContext,
  node: Record<string, unknown>,
  pointer: string,
  value: unknown,
): string[] {
  if (!('if' in node)) return [];
  const holds = context.validateAt(childPointer(pointer, 'if'), value).length === 0;
  const branch = holds ? 'then' : 'else';
  return branch in node ? [childPointer(pointer, branch)] : [];
}

/**
 * A failed `oneOf`/`anyOf`: alternatives the value was plainly not meant for are set aside by
 * their discriminators (see branchFit); of the rest, the one whose findings reach deepest into
 * the value, then the one with fewest, is explained. When none is plausible, or several are and
 * none is better, one finding names the alternatives instead.
 */
function explainAlternatives(
  context: ExplainContext,
  pointer: string,
  value: unknown,
  at: Segment[],
  error: ErrorObject,
): Finding[] {
  const composite = compositeOf(nodeAt(context.root, pointer) ?? true)!;
  const branchPointer = (i: number) => childPointer(pointer, composite.keyword, i);
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (Array.isArray(passing) && passing.length > 1) {
    return [{ kind: 'several-alternatives', at, pointer, branches: passing.map(Number) }];
  }
  const fits = composite.branches.map((_, i) => branchFit(context.root, branchPointer(i), value));
  const plausible = plausibleBranches(fits);
  const noAlternative: Finding[] = [{ kind: 'no-alternative', at, pointer }];
  if (plausible.length === 0) return noAlternative;
  if (plausible.length > 1) {
    // Several alternatives, none plainly meant (a task with no task type, `call: 5`): naming
    // them all says more than the errors of each.
    if (fits[plausible[0]!]!.level < fitLevels.fits) return noAlternative;
    // Each claimed by names of its own (`call` and `set` in one task): say so, not why each fails.
    const evidence = plausible.map((i) => fits[i]!.evidence);
    const disjoint = evidence.every(
      (names, i) =>
        names.size > 0 &&
        evidence.every((other, j) => j === i || [...names].every((name) => !other.has(name))),
    );
    if (disjoint) return [{ kind: 'several-alternatives', at, pointer, branches: plausible }];
  }

  const explained = plausible
    .map((i) => {
      const errors = nodeErrors(context.validateAt(branchPointer(i), value), true);
      return explainNode(context, branchPointer(i), value, at, errors);
    })
    .filter((findings) => findings.length > 0);
  if (explained.length === 0) return noAlternative;
  const depth = (findings: Finding[]) => Math.max(...findings.map((finding) => finding.at.length));
  const better = (a: Finding[], b: Finding[]) =>
    depth(a) !== depth(b) ? depth(a) > depth(b) : a.length < b.length;
  const best = explained.reduce((a, b) => (better(b, a) ? b : a));
  const tied = explained.filter((findings) => !better(best, findings));
  const sameAsBest = (findings: Finding[]) => JSON.stringify(findings) === JSON.stringify(best);
  return tied.every(sameAsBest) ? best : noAlternative;
}
