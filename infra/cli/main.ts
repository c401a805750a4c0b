#!/usr/bin/env node
import { createCli } from './awp.js';
import { exitCodes } from './runServer.js';

createCli()
  .run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`awp: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(exitCodes.failure);
  });
