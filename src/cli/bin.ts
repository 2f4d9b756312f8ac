#!/usr/bin/env node
// The executable: wires signals to an AbortController and the process to the CLI in ./program.ts.
import { processIo } from './io.js';
import { main } from './program.js';

const controller = new AbortController();
let signalExit = 0;
for (const [name, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(name, () => {
    signalExit = code;
    controller.abort();
  });
}
const code = await main(process.argv.slice(2), processIo(), controller.signal);
process.exitCode = signalExit || code;
