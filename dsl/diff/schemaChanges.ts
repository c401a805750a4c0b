import { pointerOf } from '../problems.js';
import { compactValue, deepEqual, isObject } from './jsonValues.js';
import { compareSchemas } from './schemaComparison.js';
import type { SchemaEffect } from './schemaComparison.js';
import type { ChangeKind, Compatibility, WorkflowChange } from './workflowChange.js';

/**
 * Turns schema findings into classified changes. Who reads a schema decides which direction
 * breaks: an input schema is a promise to whoever sends the input, so narrowing it can refuse
 * what they send; an output (or context) schema is a promise to whoever reads the output, so
 * widening it can hand them what they do not expect. What AWP cannot decide counts as breaking.
 */

export type SchemaRole = 'input' | 'output' | 'context';

export interface SchemaSite {
  role: SchemaRole;
  /** JSON pointer of the schema definition (`/input/schema`, `/do/0/a/output/schema`). */
  pointer: string;
  /** The qualified task name; undefined for the workflow's own input and output. */
  task?: string;
}

const kindOf: Record<SchemaRole, ChangeKind> = {
  input: 'input-schema-changed',
  output: 'output-schema-changed',
  context: 'context-schema-changed',
};

const breaks: Record<SchemaRole, ReadonlySet<SchemaEffect>> = {
  input: new Set(['narrowed', 'changed', 'undecidable']),
  output: new Set(['widened', 'changed', 'undecidable']),
  context: new Set(['widened', 'changed', 'undecidable']),
};

/** Who is affected, per role and place, when the schema breaks. */
function affected(site: SchemaSite): string {
  if (site.task === undefined) {
    return site.role === 'input'
      ? 'callers sending input the old schema accepted may now be refused'
      : "consumers of the workflow's output may receive values the old schema ruled out";
  }
  if (site.role === 'input') {
    return 'an execution that reaches it with data the old schema accepted (from tasks it already ran) may now fault';
  }
  return site.role === 'output'
    ? 'the tasks after it may receive output the old schema ruled out'
    : 'the tasks after it may find a context the old schema ruled out';
}

function consequence(site: SchemaSite, effect: SchemaEffect): string {
  const reads = site.role === 'input' ? 'input' : site.role === 'output' ? 'output' : 'context';
  switch (effect) {
    case 'annotation':
      return `it accepts the same ${reads}`;
    case 'undecidable':
      return `AWP cannot decide the effect, so it counts as breaking: ${affected(site)}`;
    default:
      if (breaks[site.role].has(effect)) return affected(site);
      return site.role === 'input'
        ? `everything accepted before is still accepted`
        : `everything it allows was allowed before, so readers of the ${reads} are unaffected`;
  }
}

const owner = (site: SchemaSite) =>
  site.task === undefined ? 'the workflow' : `task '${site.task}'`;

/** A definition AWP compares: an inline JSON Schema (`format` json or unset). */
function inlineDocument(definition: unknown): { document: unknown } | undefined {
  if (definition === undefined) return { document: undefined };
  if (!isObject(definition) || definition.resource !== undefined) return undefined;
  const format = definition.format;
  if (format !== undefined && !/^json(schema)?(:.*)?$/i.test(String(format))) return undefined;
  return { document: definition.document };
}

/** The classified changes between two schema definitions at the same site. */
export function schemaChanges(before: unknown, after: unknown, site: SchemaSite): WorkflowChange[] {
  if (deepEqual(before, after)) return [];
  const kind = kindOf[site.role];
  const base = { kind, task: site.task };
  const was = inlineDocument(before);
  const now = inlineDocument(after);
  const subject = `${owner(site)}'s ${site.role} schema`;
  if (was === undefined || now === undefined) {
    return [
      {
        ...base,
        path: site.pointer,
        compatibility: 'breaking',
        reason: `${subject} changed and is external or not JSON Schema, which AWP does not fetch or compare, so it counts as breaking: ${affected(site)}`,
        before: compactValue(before),
        after: compactValue(after),
      },
    ];
  }
  const root = site.role === 'context' ? 'the context' : `the ${site.role}`;
  const findings = compareSchemas(was.document, now.document, root);
  if (findings.length === 0) {
    // Only the wrapper changed (`true` for `{}`, format spelling): same accepted values.
    return [
      {
        ...base,
        path: site.pointer,
        compatibility: 'compatible',
        reason: `${subject} was rewritten without changing what it accepts`,
      },
    ];
  }
  return findings.map((finding) => {
    const compatibility: Compatibility = breaks[site.role].has(finding.effect)
      ? 'breaking'
      : 'compatible';
    return {
      ...base,
      path: `${site.pointer}/document${pointerOf(finding.path)}`,
      compatibility,
      reason: `${subject}: ${finding.description}; ${consequence(site, finding.effect)}`,
      before: compactValue(finding.before),
      after: compactValue(finding.after),
    };
  });
}

/**
 * Whether a declared output (or context) schema still pins the shape: declared in both versions
 * and not widened. The runtime validates output against it, so a transformation that changed
 * behind an unchanged schema cannot hand readers anything new.
 */
export function schemaStillHolds(before: unknown, after: unknown): boolean {
  if (before === undefined || after === undefined) return false;
  const site: SchemaSite = { role: 'output', pointer: '' };
  return schemaChanges(before, after, site).every((c) => c.compatibility === 'compatible');
}
