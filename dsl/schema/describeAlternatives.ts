import { taskKinds } from '../model/workflowModel.js';
import type { DslProblem } from '../problems.js';
import type { Finding } from './explainFailure.js';
import { subjectOf } from './locationNames.js';
import type { ProblemSite } from './problemSite.js';
import {
  childPointer,
  compositeOf,
  nodeAt,
  refTarget,
  requiredOf,
  sameValueSteps,
  typesOf,
} from './schemaNodes.js';
import type { SchemaNode } from './schemaNodes.js';
import {
  alternativesPhrases,
  definitionPhrases,
  formatPhrases,
  patternPhrases,
  typeWords,
} from './schemaVocabulary.js';
import { kindOf, listOf, quoted } from './sentenceParts.js';

const taskPointer = '#/$defs/task';
const taskTypes = [...taskKinds].sort().join(', ');

/** A value that fits none of a `oneOf`/`anyOf`'s alternatives: name them. */
export function describeNoAlternative(
  { pointer, at }: Extract<Finding, { kind: 'no-alternative' }>,
  site: ProblemSite,
): DslProblem {
  const { location, subject, value, report, schema, namedBy } = site;
  if (pointer === taskPointer) {
    const owner = location.owner;
    const message =
      value === null || value === undefined
        ? `${owner} is empty: expected exactly one of ${taskTypes}`
        : typeof value === 'object' && !Array.isArray(value)
          ? `${owner} has no task type: expected exactly one of ${taskTypes}`
          : `${owner} must be an object with exactly one of ${taskTypes}, not ${kindOf(value)}`;
    return report('schema-task-type', message, { target: 'key' });
  }
  const known = alternativesPhrases[pointer];
  if (known?.property !== undefined) {
    const inner = subjectOf({ owner: location.owner, rest: [...location.rest, known.property] });
    return report('schema-invalid', `${inner} must be ${known.phrase}`, {
      at: [...at, known.property],
    });
  }
  if (known !== undefined) {
    return report('schema-invalid', `${subject} must be ${known.phrase}`, { target: namedBy });
  }
  const keyed = keyedNames(schema, pointer);
  const message =
    keyed !== undefined
      ? `${subject} must have exactly one of ${listOf(keyed.map(quoted), 'or')}`
      : `${subject} must be ${listOf(branchPhrases(schema, pointer), 'or')}`;
  return report('schema-invalid', message, { target: namedBy });
}

/** A value that claims, or satisfies, several alternatives where exactly one is allowed. */
export function describeSeveralAlternatives(
  { pointer, branches }: Extract<Finding, { kind: 'several-alternatives' }>,
  site: ProblemSite,
): DslProblem {
  const { location, subject, value, report, schema, namedBy } = site;
  if (pointer === taskPointer) {
    const present = typeof value === 'object' && value !== null ? Object.keys(value) : [];
    // A `for` task has a `do` too: that `do` is not a second task type.
    const kinds = taskKinds.filter(
      (kind) => present.includes(kind) && !(kind === 'do' && present.includes('for')),
    );
    return report(
      'schema-task-type',
      `${location.owner} has more than one task type (${listOf(kinds, 'and')}): a task has exactly one of ${taskTypes}`,
      { target: 'key' },
    );
  }
  const keyed = keyedNames(schema, pointer);
  if (keyed !== undefined) {
    const claimed = branches.map((i) => keyed[i]).filter((name) => name !== undefined);
    return report(
      'schema-ambiguous',
      `${subject} has ${listOf(claimed.map(quoted), 'and')}: it must have exactly one of ${listOf(keyed.map(quoted), 'or')}`,
      { target: namedBy },
    );
  }
  const matched = listOf(branchPhrases(schema, pointer, branches), 'and');
  return report(
    'schema-ambiguous',
    `${subject} matches more than one of ${matched}; it must match exactly one`,
    { target: namedBy },
  );
}

/**
 * For a `oneOf`/`anyOf` whose alternatives are each told apart by one required name (run's
 * container/script/shell/workflow), those names in order; undefined when they are not.
 */
function keyedNames(schema: SchemaNode, pointer: string): string[] | undefined {
  const composite = compositeOf(nodeAt(schema, pointer) ?? true);
  if (composite === undefined) return undefined;
  const required = composite.branches.map((_, i) =>
    requiredNames(schema, childPointer(pointer, composite.keyword, i)),
  );
  const shared = required.reduce((common, names) => common.filter((name) => names.includes(name)));
  const distinct = required.map((names) => names.filter((name) => !shared.includes(name)));
  if (distinct.some((names) => names.length !== 1)) return undefined;
  return distinct.map((names) => names[0]!);
}

function requiredNames(schema: SchemaNode, pointer: string): string[] {
  const node = nodeAt(schema, pointer);
  if (node === undefined) return [];
  return [
    ...requiredOf(node),
    ...sameValueSteps(node, pointer).flatMap((step) => requiredNames(schema, step)),
  ];
}

/** How alternatives are named in a list: by definition, pattern, format, type or title. */
function branchPhrases(schema: SchemaNode, pointer: string, only?: number[]): string[] {
  const composite = compositeOf(nodeAt(schema, pointer) ?? true);
  if (composite === undefined) return [];
  const indexes = only ?? composite.branches.map((_, i) => i);
  const phrases = indexes.map((i) => {
    const branch = nodeAt(schema, childPointer(pointer, composite.keyword, i)) ?? true;
    if (typeof branch === 'boolean') return branch ? 'anything' : 'nothing';
    const target = refTarget(branch);
    if (target !== undefined) {
      return (
        definitionPhrases[target] ??
        alternativesPhrases[target]?.phrase ??
        target.split('/').at(-1)!
      );
    }
    const pattern = typeof branch.pattern === 'string' ? patternPhrases[branch.pattern] : undefined;
    const format = typeof branch.format === 'string' ? formatPhrases[branch.format] : undefined;
    const types = typesOf(branch)?.map((type) => typeWords[type] ?? type);
    const title = typeof branch.title === 'string' ? branch.title : `alternative ${i + 1}`;
    return pattern ?? format ?? (types !== undefined ? listOf(types, 'or') : title);
  });
  return [...new Set(phrases)];
}
