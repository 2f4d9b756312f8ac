// Wherever a config.json is accepted (calc --config, a spec's architecture.config), a checkpoint
// folder and a Hub id are too: the same counts as the config.json they hold. The Hub is the local
// stand-in of hub-server.ts; the second read of a Hub id comes from the cache.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliWith, useTempDir } from '../helpers.js';
import { FakeHub, jsonFile } from './hub-server.js';

const MIXTRAL = 'presets/configs/mixtral-8x7b-v0.1.json';
const hub = new FakeHub({
  'mistralai/Mixtral-8x7B-v0.1': { files: { 'config.json': jsonFile(JSON.parse(readFileSync(MIXTRAL, 'utf8'))) } },
});

const tmp = useTempDir('moe-sweep-sources-');
const home = join(tmp, 'hf');
let endpoint = '';
beforeAll(async () => {
  endpoint = await hub.start();
});
afterAll(() => hub.stop());

const env = () => ({ HF_ENDPOINT: endpoint, HF_HOME: home });
const calcJson = async (config: string) => {
  const r = await cliWith({ env: env() }, 'calc', '--config', config, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('calc --config', () => {
  const folder = join(tmp, 'Mixtral-8x7B');
  mkdirSync(folder);
  copyFileSync(MIXTRAL, join(folder, 'config.json'));

  it('a folder counts as its config.json: Mixtral-8x7B 46,702,792,704 (the Hub safetensors total, presets/configs/SOURCES.md)', async () => {
    const fromFile = await calcJson(MIXTRAL);
    expect(fromFile.total_params).toBe(46_702_792_704);
    expect(await calcJson(folder)).toEqual(fromFile);
  });

  it('a Hub id is fetched once, then read from the cache with the Hub gone', async () => {
    const fromFile = await calcJson(MIXTRAL);
    expect(await calcJson('mistralai/Mixtral-8x7B-v0.1')).toEqual(fromFile);
    expect(hub.log.map((l) => l.url)).toEqual(['/mistralai/Mixtral-8x7B-v0.1/resolve/main/config.json']);
    await hub.stop();
    try {
      expect(await calcJson('mistralai/Mixtral-8x7B-v0.1')).toEqual(fromFile);
    } finally {
      endpoint = await hub.start();
    }
  });

  it('an unknown Hub id is one line, exit 2', async () => {
    const r = await cliWith({ env: env() }, 'calc', '--config', 'mistralai/Nothing');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mistralai/Nothing: config.json: repository mistralai/Nothing not found (or private: set HF_TOKEN to a token that can read it)\n',
    );
  });
});

describe("a spec's architecture.config", () => {
  const spec = (config: string) => `name: sources
designs:
  - name: m
    architecture: {config: ${config}}
`;

  it('takes a folder (relative to the spec) and a Hub id, with the counts of the config.json', async () => {
    const dir = join(tmp, 'specs');
    mkdirSync(join(dir, 'ckpt'), { recursive: true });
    copyFileSync(MIXTRAL, join(dir, 'ckpt', 'config.json'));
    const run = async (name: string, config: string) => {
      writeFileSync(join(dir, `${name}.yaml`), spec(config));
      const r = await cliWith(
        { env: env(), cwd: dir },
        join(dir, `${name}.yaml`),
        '--out',
        join(dir, `out-${name}`),
        '--json',
      );
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout).designs[0];
    };
    const fromFolder = await run('folder', 'ckpt');
    expect(fromFolder.total_params).toBe(46_702_792_704);
    const fromHub = await run('hub', 'mistralai/Mixtral-8x7B-v0.1');
    expect({ ...fromHub, line: 0 }).toEqual({ ...fromFolder, line: 0 });
  });

  it.each([
    ['not YAML', '*a:\n'],
    ['a list as a key', '? [a]\n: 1\n'],
    ['a cyclic alias', 'grid: &g {experts: *g, top_k: 1, expert_params: 1B, shared_params: 1B}\n'],
  ])('a spec with %s is left to the loader: one line, exit 2, no YAML warning on the process', async (_, text) => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, text);
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      const r = await cliWith({ env: env() }, file, '--out', join(tmp, 'out-bad'));
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
