import { isRecord } from './instancePaths.js';
import {
  childPointer,
  compositeOf,
  jsonTypesOf,
  nodeAt,
  propertiesOf,
  refTarget,
  requiredOf,
  sameValueSteps,
  typesOf,
} from './schemaNodes.js';
import type { SchemaNode } from './schemaNodes.js';

/**
 * How plainly a value was meant for one alternative of a `oneOf`/`anyOf`, judged from the
 * alternative's discriminators alone (its type, its required names, `const`/`enum`/`not` on its
 * properties) and never from the rest of its errors:
 * - 0 unrelated: the wrong kind of value (type, or a `const`/`enum` on the value itself);
 * - 1 unclaimed: the right kind, but none of the names it requires is there;
 * - 2 contradicted: names point here, but a discriminating property disagrees (`call: grpc` for
 *   the HTTP call, `call: 5` for any call);
 * - 3 fits: nothing rules it out.
 */
export const fitLevels = { unrelated: 0, unclaimed: 1, contradicted: 2, fits: 3 } as const;
/** One of `fitLevels`. */
export type FitLevel = (typeof fitLevels)[keyof typeof fitLevels];

/** An alternative's fit level, and what in the value points at it. */
export interface BranchFit {
  level: FitLevel;
  /** The instance's names that point at this alternative (required names present, consts met). */
  evidence: Set<string>;
}

const unrelated = (): BranchFit => ({ level: fitLevels.unrelated, evidence: new Set() });
const unclaimed = (): BranchFit => ({ level: fitLevels.unclaimed, evidence: new Set() });

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Properties whose value tells alternatives apart: they carry a `const`, `enum` or `not`. */
function discriminatorOf(node: SchemaNode | undefined): Record<string, unknown> | undefined {
  return isRecord(node) && ('const' in node || 'enum' in node || 'not' in node) ? node : undefined;
}

function meets(rule: Record<string, unknown>, value: unknown): boolean {
  const types = typesOf(rule);
  if (types !== undefined && !types.some((type) => jsonTypesOf(value).includes(type))) return false;
  if ('const' in rule && !sameJson(rule.const, value)) return false;
  if (Array.isArray(rule.enum) && !rule.enum.some((allowed) => sameJson(allowed, value))) {
    return false;
  }
  const not = rule.not;
  if (isRecord(not) && discriminatorOf(not) !== undefined && meets(not, value)) return false;
  return true;
}

/** The fit of `value` to the subschema at `pointer` of `root`. */
export function branchFit(root: SchemaNode, pointer: string, value: unknown): BranchFit {
  return fitOf(root, pointer, value, 0);
}

// `$ref`/`allOf`/`oneOf` never form a cycle without consuming part of the instance in this
// schema; the depth bound only guards against a future schema that would.
const maxSameValueDepth = 32;

function fitOf(root: SchemaNode, pointer: string, value: unknown, depth: number): BranchFit {
  const node = nodeAt(root, pointer);
  if (node === undefined || node === true || depth > maxSameValueDepth) {
    return { level: fitLevels.fits, evidence: new Set() };
  }
  if (node === false) return unrelated();
  const types = typesOf(node);
  if (types !== undefined && !types.some((type) => jsonTypesOf(value).includes(type))) {
    return unrelated();
  }
  if ('const' in node && !sameJson(node.const, value)) return unrelated();
  if (Array.isArray(node.enum) && !node.enum.some((allowed) => sameJson(allowed, value))) {
    return unrelated();
  }
  let level: FitLevel = fitLevels.fits;
  const evidence = new Set<string>();
  if (isRecord(value)) {
    const required = requiredOf(node);
    const present = required.filter((name) => name in value);
    if (required.length > 0 && present.length === 0) return unclaimed();
    present.forEach((name) => evidence.add(name));
    for (const [name, property] of Object.entries(propertiesOf(node))) {
      const rule = discriminatorOf(resolveRefs(root, property));
      if (rule === undefined) continue;
      if (!(name in value)) {
        if (required.includes(name)) return unclaimed();
        continue;
      }
      if (meets(rule, value[name])) evidence.add(name);
      else level = fitLevels.contradicted;
    }
  }
  for (const step of sameValueSteps(node, pointer)) {
    const fit = fitOf(root, step, value, depth + 1);
    if (fit.level < fitLevels.contradicted) return fit;
    level = Math.min(level, fit.level) as FitLevel;
    fit.evidence.forEach((name) => evidence.add(name));
  }
  const composite = compositeOf(node);
  if (composite !== undefined) {
    const fits = composite.branches.map((_, i) =>
      fitOf(root, childPointer(pointer, composite.keyword, i), value, depth + 1),
    );
    const best = Math.max(...fits.map((fit) => fit.level)) as FitLevel;
    if (best < fitLevels.contradicted) {
      return best === fitLevels.unrelated ? unrelated() : unclaimed();
    }
    level = Math.min(level, best) as FitLevel;
    for (const fit of fits) if (fit.level === best) fit.evidence.forEach((n) => evidence.add(n));
  }
  return { level, evidence };
}

/** A property node with its `$ref`s followed (a discriminator may sit behind one). */
function resolveRefs(root: SchemaNode, node: SchemaNode): SchemaNode | undefined {
  let current: SchemaNode | undefined = node;
  for (let hops = 0; current !== undefined && hops < 8; hops++) {
    if (discriminatorOf(current) !== undefined) return current;
    const target = refTarget(current);
    if (target === undefined) return current;
    current = nodeAt(root, target);
  }
  return current;
}

/**
 * The alternatives worth explaining: those at the best fit level above `unrelated`, without
 * any whose evidence is a strict subset of another's (a `for` task also has the `do` that a
 * `do` task requires). Indexes into `fits`; empty when every alternative is unrelated.
 */
export function plausibleBranches(fits: readonly BranchFit[]): number[] {
  const best = Math.max(fitLevels.unrelated, ...fits.map((fit) => fit.level));
  if (best === fitLevels.unrelated) return [];
  const candidates = fits.flatMap((fit, i) => (fit.level === best ? [i] : []));
  const strictSubset = (a: Set<string>, b: Set<string>) =>
    a.size < b.size && [...a].every((name) => b.has(name));
  return candidates.filter(
    (i) => !candidates.some((j) => j !== i && strictSubset(fits[i]!.evidence, fits[j]!.evidence)),
  );
}
