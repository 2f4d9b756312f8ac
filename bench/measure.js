// Runs the CLI in this process and reports wall time and peak RSS (workers are threads of this
// process, so their memory is included) as one JSON line on stderr.
import { main } from '../dist/cli/program.js';

const t0 = performance.now();
const code = await main(process.argv.slice(2));
const ms = performance.now() - t0;
process.stderr.write(`${JSON.stringify({ code, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
process.exitCode = code;
