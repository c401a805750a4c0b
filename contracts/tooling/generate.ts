import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedRoot, renderEventContracts } from './eventContracts.js';

/**
 * `npm run contracts:generate` rewrites contracts/events/generated/ from the .avsc files;
 * `-- --check` only reports files that are out of date (exit 1).
 */
const check = process.argv.includes('--check');
const rendered = await renderEventContracts();
mkdirSync(generatedRoot, { recursive: true });
let stale = 0;
for (const [name, content] of Object.entries(rendered)) {
  const path = join(generatedRoot, name);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // a missing file is simply stale
  }
  if (current === content) continue;
  stale++;
  if (check) console.error(`${path} is out of date: run npm run contracts:generate`);
  else writeFileSync(path, content);
}
if (!check) console.log(`contracts: ${stale} generated file(s) updated`);
process.exit(check && stale > 0 ? 1 : 0);
