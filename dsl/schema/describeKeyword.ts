import type { DslProblem } from '../problems.js';
import type { Finding } from './explainFailure.js';
import { dottedPath, workflowOwner } from './locationNames.js';
import type { ProblemSite } from './problemSite.js';
import { childPointer, nodeAt, requiredOf } from './schemaNodes.js';
import { formatPhrases, patternPhrases, typeWords } from './schemaVocabulary.js';
import { counted, kindOf, listOf, quoted } from './sentenceParts.js';

const taskListItemPointer = '#/$defs/taskList/items';

/** The problem for one failed keyword (`type`, `enum`, `pattern`, …) of one schema node. */
export function describeKeyword(
  finding: Extract<Finding, { kind: 'keyword' }>,
  site: ProblemSite,
): DslProblem {
  const { subject, value, report } = site;
  const { keyword, params, pointer } = finding;
  const limit = Number(params.limit);
  if (pointer === taskListItemPointer) {
    const entry = describeTaskEntry(keyword, site);
    if (entry !== undefined) return entry;
  }

  switch (keyword) {
    case 'type': {
      const expected = ([] as unknown[])
        .concat(params.type)
        .map((type) => typeWords[String(type)] ?? String(type));
      if (finding.at.length === 0) {
        return report(
          'schema-type',
          `${workflowOwner} must be an object with 'document' and 'do' at its top level, not ${kindOf(value)}`,
        );
      }
      return report(
        'schema-type',
        `${subject} must be ${listOf(expected, 'or')}, not ${kindOf(value)}${quotesHint(expected, value)}`,
      );
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(String) : [];
      return report('schema-enum', `${subject} must be one of ${listOf(allowed, 'or')}`);
    }
    case 'const':
      return report('schema-const', `${subject} must be '${String(params.allowedValue)}'`);
    case 'pattern': {
      const pattern = String(params.pattern);
      const phrase = patternPhrases[pattern] ?? `text matching ${pattern}`;
      return report('schema-pattern', `${subject} must be ${phrase}`);
    }
    case 'format': {
      const format = String(params.format);
      const phrase = formatPhrases[format] ?? `a valid ${format}`;
      return report('schema-format', `${subject} must be ${phrase}`);
    }
    case 'minItems':
      return report('schema-min-items', `${subject} must have at least ${counted(limit, 'item')}`);
    case 'maxItems':
      return report('schema-max-items', `${subject} must have at most ${counted(limit, 'item')}`);
    case 'minProperties':
      return report(
        'schema-min-properties',
        `${subject} must have at least ${counted(limit, 'property')}`,
        { target: 'key' },
      );
    case 'maxProperties':
      return report(
        'schema-max-properties',
        `${subject} must have at most ${counted(limit, 'property')}`,
        { target: 'key' },
      );
    case 'minLength':
      return report(
        'schema-min-length',
        limit === 1
          ? `${subject} must not be empty`
          : `${subject} must be at least ${counted(limit, 'character')} long`,
      );
    case 'minimum':
    case 'exclusiveMinimum':
      return report(
        'schema-minimum',
        `${subject} must be ${keyword === 'minimum' ? 'at least' : 'more than'} ${limit}`,
      );
    case 'maximum':
    case 'exclusiveMaximum':
      return report(
        'schema-maximum',
        `${subject} must be ${keyword === 'maximum' ? 'at most' : 'less than'} ${limit}`,
      );
    case 'not': {
      // The schema's only `not` over an object forbids a property (a container's `after` unless
      // its cleanup is `eventually`); say which.
      const forbidden = requiredOf(nodeAt(site.schema, childPointer(pointer, 'not')) ?? true);
      return forbidden.length > 0
        ? report(
            'schema-not',
            `${subject} must not have ${listOf(forbidden.map(quoted), 'or')} here`,
            { target: 'key' },
          )
        : report('schema-not', `${subject} has a value that is not allowed here`);
    }
    case 'false schema':
      return report('schema-not-allowed', `${subject} is not allowed here`, { target: 'key' });
    default:
      return report(`schema-${kebab(keyword)}`, `${subject} is invalid (${keyword})`);
  }
}

/**
 * YAML reads `dsl: 1.0` as a number and `status: '500'` as a string: the fix is the quotes, not
 * the value.
 */
function quotesHint(expected: string[], value: unknown): string {
  const scalar = typeof value === 'number' || typeof value === 'boolean';
  if (expected.includes(typeWords.string!) && scalar) return ' (put the value in quotes)';
  const numeric = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value));
  const wantsNumber = expected.includes(typeWords.integer!) || expected.includes(typeWords.number!);
  return wantsNumber && numeric ? ' (remove the quotes)' : '';
}

/** A task list item that is not `{ name: task }`: the most common slip of YAML indentation. */
function describeTaskEntry(keyword: string, site: ProblemSite): DslProblem | undefined {
  const { location, value, report } = site;
  const index = Number(location.rest.at(-1));
  const list = dottedPath(location.rest.slice(0, -1));
  const entry = `${location.owner}: item ${index + 1} of '${list}'`;
  if (keyword === 'maxProperties' && typeof value === 'object' && value !== null) {
    const names = Object.keys(value);
    return report(
      'schema-task-entry',
      `${entry} holds ${names.length} tasks (${names.join(', ')}); put each task in its own list item`,
    );
  }
  if (keyword !== 'type' && keyword !== 'minProperties') return undefined;
  const found = keyword === 'type' ? `, not ${kindOf(value)}` : '';
  return report(
    'schema-task-entry',
    `${entry} must be one task, written as '- name: { … }'${found}`,
  );
}

const kebab = (name: string) =>
  name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/\s+/g, '-');
