// The executable itself: src/cli/bin.ts spawned under tsx (exit code, one-line errors, --help and
// --version), and the interrupt its signal handlers wire to an AbortSignal. Kept apart from
// cli.test.ts, which runs the commands in-process, so the two run side by side.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWith, spawnBin, specFixture as spec, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-bin-');

describe('the executable', () => {
  const bin = (args: string[]) => spawnBin(args, { env: { ...process.env, NO_COLOR: '1' } });

  it('exit 2 with one stderr line and no stack trace', () => {
    const r = bin([spec('exit2-bad-unit'), '--out', join(tmp, 'spawned')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an interrupted sweep (SIGINT aborts this signal in the executable) exits 130 and leaves no output or temporary folder', async () => {
    // In-process with the AbortSignal that src/cli/bin.ts wires to SIGINT/SIGTERM: a spawned child may
    // not have installed its handlers yet when a signal arrives on a busy machine.
    const out = join(tmp, 'interrupted');
    const controller = new AbortController();
    const running = cliWith({ signal: controller.signal }, 'bench/m100.yaml', '--out', out, '--quiet');
    // Interrupt once the workers are busy: a 10^8-point sweep takes far longer than this wait.
    await new Promise((r) => setTimeout(r, 1500));
    controller.abort();
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.interrupted'))).toEqual([]);
  });

  it('--help teaches with examples and --version prints the version', () => {
    const help = bin(['run', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('Exit codes:');
    const version = bin(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
