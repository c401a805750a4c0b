import avro from 'avsc';

/** The compatibility levels of the Confluent Schema Registry, with the same names. */
export const compatibilityLevels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof compatibilityLevels)[number];

/** One earlier schema the candidate cannot stand beside, and avsc's reason why. */
export interface Incompatibility {
  version: number;
  reason: string;
}

interface Rule {
  /** The candidate must read data written with earlier schemas (consumers upgrade first). */
  backward: boolean;
  /** Earlier schemas must read data written with the candidate (producers upgrade first). */
  forward: boolean;
  /** Against every earlier version, not only the latest. */
  transitive: boolean;
}

const rules: Record<CompatibilityLevel, Rule> = {
  NONE: { backward: false, forward: false, transitive: false },
  BACKWARD: { backward: true, forward: false, transitive: false },
  BACKWARD_TRANSITIVE: { backward: true, forward: false, transitive: true },
  FORWARD: { backward: false, forward: true, transitive: false },
  FORWARD_TRANSITIVE: { backward: false, forward: true, transitive: true },
  FULL: { backward: true, forward: true, transitive: false },
  FULL_TRANSITIVE: { backward: true, forward: true, transitive: true },
};

/**
 * Checks `candidate` against `earlier` (ascending by version) under `level`, with avsc's schema
 * resolution as the judge: "A can read data written with B" means `A.createResolver(B)` succeeds,
 * so a schema passing here is one avsc consumers can actually decode. Returns one entry per
 * failing version and direction; an empty array means compatible. Throws when a schema is not
 * valid Avro.
 */
export function findIncompatibilities(
  level: CompatibilityLevel,
  candidate: object,
  earlier: ReadonlyArray<{ version: number; schema: object }>,
): Incompatibility[] {
  const rule = rules[level];
  const compared = rule.transitive ? earlier : earlier.slice(-1);
  if ((!rule.backward && !rule.forward) || compared.length === 0) return [];

  const candidateType = typeOf(candidate);
  const found: Incompatibility[] = [];
  for (const { version, schema } of compared) {
    const earlierType = typeOf(schema);
    const newCannotReadOld = rule.backward ? cannotRead(candidateType, earlierType) : undefined;
    if (newCannotReadOld !== undefined) {
      found.push({
        version,
        reason: `the new schema cannot read data written with version ${version}: ${newCannotReadOld}`,
      });
    }
    const oldCannotReadNew = rule.forward ? cannotRead(earlierType, candidateType) : undefined;
    if (oldCannotReadNew !== undefined) {
      found.push({
        version,
        reason: `version ${version} cannot read data written with the new schema: ${oldCannotReadNew}`,
      });
    }
  }
  return found;
}

function typeOf(schema: object): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema);
}

/** avsc refuses to build a resolver for a reader that could not decode every writer value. */
function cannotRead(reader: avro.Type, writer: avro.Type): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
