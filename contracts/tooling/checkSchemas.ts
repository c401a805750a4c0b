import { fileURLToPath } from 'node:url';
import { checkSchemaHistory } from './schemaHistory.js';

/** `npm run contracts:check`: exit 1 listing every schema change that would break readers. */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const problems = checkSchemaHistory(repoRoot);
for (const problem of problems) console.error(`${problem.path} ${problem.message}`);
console.log(
  problems.length === 0
    ? 'contracts: every .avsc is compatible with all its committed versions'
    : `contracts: ${problems.length} incompatible schema change(s)`,
);
process.exit(problems.length === 0 ? 0 : 1);
