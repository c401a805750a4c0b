/**
 * The domains a process can host, kept apart from their code so the CLI can check a
 * `--services` list without loading any domain.
 */
export const domainNames = ['platform', 'conversation', 'agent', 'workflow'] as const;
export type DomainName = (typeof domainNames)[number];

/** Domains with an implementation today; `domainModules.ts` has a factory for each. */
const implemented: readonly DomainName[] = ['platform', 'conversation', 'agent', 'workflow'];

export const availableDomains = (): DomainName[] => [...implemented];

/** Checks a `--services` list; the error names what is unknown and what can be hosted. */
export function parseServiceList(list: string): DomainName[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new Error('--services needs at least one service name');
  const available = availableDomains();
  for (const name of names) {
    if (!(domainNames as readonly string[]).includes(name)) {
      throw new Error(`unknown service '${name}' (available: ${available.join(', ')})`);
    }
    if (!available.includes(name as DomainName)) {
      throw new Error(
        `service '${name}' is not available yet (available: ${available.join(', ')})`,
      );
    }
  }
  return [...new Set(names)] as DomainName[];
}
