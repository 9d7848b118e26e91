#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// Output piped into `head` and the like: a closed pipe ends the command quietly, as for any Unix tool.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
