// A process that logs through AWP's logger, for infra/logging/logger.int.spec.ts: writes the
// lines it is told to, then either stays up a while or exits at once, as a crash would.
import { createLogger } from '../../infra/logging/logger.js';

const [lines = '1', ending = 'exit'] = process.argv.slice(2);
const logger = createLogger('info');
for (let i = 0; i < Number(lines); i++) logger.info({ line: i }, 'logged');
if (ending === 'exit') process.exit(3);
else setTimeout(() => undefined, Number(ending));
