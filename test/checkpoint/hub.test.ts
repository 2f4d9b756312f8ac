// `inspect ORG/NAME[@REVISION]` against a Hub stand-in on 127.0.0.1 (hub-server.ts), through the real
// HTTP client (Node's fetch): the URL layout, Range requests for the headers only, a gated repo, 404s,
// a server that ignores Range, the cache that makes a second call offline. No test touches the internet.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHubCheckpoint, hubOptionsFromEnv } from '../../src/hub/client.js';
import { parseHubRef } from '../../src/hub/ref.js';
import { cliWith, useTempDir } from '../helpers.js';
import { FakeHub, jsonFile, safetensorsFile } from './hub-server.js';
import { DEEPSEEK_V3_CONFIG, QWEN3_MOE_CONFIG, deepseekV3Tensors, qwen3MoeTensors } from './models.js';

const ds = deepseekV3Tensors();
const half = Math.floor(ds.length / 2);
const shard1 = 'model-00001-of-00002.safetensors';
const shard2 = 'model-00002-of-00002.safetensors';
const weightMap = Object.fromEntries([
  ...ds.slice(0, half).map((t) => [t.name, shard1]),
  ...ds.slice(half).map((t) => [t.name, shard2]),
]);
const qwenWeights = safetensorsFile(qwen3MoeTensors());

const hub = new FakeHub({
  'tiny/qwen3-moe': {
    files: { 'config.json': jsonFile(QWEN3_MOE_CONFIG), 'model.safetensors': qwenWeights },
    revisions: ['main', 'v1.0'],
  },
  'tiny/deepseek-v3': {
    token: 'hf_secret',
    files: {
      'config.json': jsonFile(DEEPSEEK_V3_CONFIG),
      'model.safetensors.index.json': jsonFile({ metadata: { total_size: 5912 }, weight_map: weightMap }),
      [shard1]: safetensorsFile(ds.slice(0, half)),
      [shard2]: safetensorsFile(ds.slice(half)),
    },
  },
  'tiny/no-range': {
    ignoreRange: true,
    files: {
      'config.json': jsonFile(QWEN3_MOE_CONFIG),
      // 4 GB as the server announces it; only what the client reads before it aborts is ever sent
      'model.safetensors': { head: qwenWeights.head, size: 4 * 1024 ** 3 },
    },
  },
  'tiny/config-only': { files: { 'config.json': jsonFile(QWEN3_MOE_CONFIG) } },
  'tiny/no-config': { files: {} },
  'tiny/slow': { hang: true, files: {} },
});

let endpoint = '';
beforeAll(async () => {
  endpoint = await hub.start();
});
afterAll(() => hub.stop());

/** The env of one CLI call: this server, a fresh cache unless one is given. */
const envFor = (home: string, extra: Record<string, string> = {}) => ({
  HF_ENDPOINT: endpoint,
  HF_HOME: home,
  ...extra,
});

describe('a Hub id is told from a path', () => {
  it('ORG/NAME and ORG/NAME@REVISION are Hub ids; paths and file names are not', () => {
    expect(parseHubRef('deepseek-ai/DeepSeek-V3')).toEqual({ repo: 'deepseek-ai/DeepSeek-V3', revision: 'main' });
    expect(parseHubRef('Qwen/Qwen3-30B-A3B@refs/pr/1')).toEqual({ repo: 'Qwen/Qwen3-30B-A3B', revision: 'refs/pr/1' });
    for (const path of ['config.json', './a/b', '/abs/path', 'a/b/c', 'models/config.json', '../up/x', 'a/..']) {
      expect(parseHubRef(path)).toBeNull();
    }
  });

  it('an existing folder wins over the Hub id it also spells', async () => {
    const cwd = useTempDir('moe-sweep-cwd-');
    mkdirSync(join(cwd, 'tiny', 'qwen3-moe'), { recursive: true });
    writeFileSync(join(cwd, 'tiny', 'qwen3-moe', 'config.json'), JSON.stringify(QWEN3_MOE_CONFIG));
    const r = await cliWith({ cwd, env: envFor(join(cwd, 'hf')) }, 'inspect', 'tiny/qwen3-moe');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no safetensors or GGUF weights in tiny/qwen3-moe: counts from config.json only');
    expect(hub.log).toEqual([]);
  });
});

describe('inspect ORG/NAME from the Hub', () => {
  const home = useTempDir('moe-sweep-hf-');

  it('reads config.json whole and the one model.safetensors by Range requests for its header only', async () => {
    const r = await cliWith({ env: envFor(home) }, 'inspect', 'tiny/qwen3-moe', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // the same hand-worked counts as the folder test: 45 tensors, 1812 elements, everything explained
    expect(j.checkpoint).toMatchObject({
      files: 1,
      tensors: 45,
      elements: 1812,
      unexplained: [],
      missing: [],
      reconciled: true,
    });
    const n = qwenWeights.head.readUInt32LE(0);
    const requests = hub.log.map((l) => `${l.status} ${l.url}${l.range ? ` ${l.range}` : ''}`);
    expect(requests).toEqual([
      '200 /tiny/qwen3-moe/resolve/main/config.json',
      '404 /tiny/qwen3-moe/resolve/main/model.safetensors.index.json',
      '302 /tiny/qwen3-moe/resolve/main/model.safetensors bytes=0-7',
      '206 /cdn/tiny/qwen3-moe/resolve/main/model.safetensors bytes=0-7',
      `302 /tiny/qwen3-moe/resolve/main/model.safetensors bytes=8-${8 + n - 1}`,
      `206 /cdn/tiny/qwen3-moe/resolve/main/model.safetensors bytes=8-${8 + n - 1}`,
    ]);
    // not one byte of the data region was sent
    expect(hub.sent.get('/cdn/tiny/qwen3-moe/resolve/main/model.safetensors')).toBe(8 + n);
  });

  it('a second call is offline: the cache answers with the server stopped', async () => {
    await hub.stop();
    try {
      const r = await cliWith({ env: envFor(home) }, 'inspect', 'tiny/qwen3-moe');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'Checkpoint tiny/qwen3-moe: 1 safetensors file (headers only), 45 tensors, 1,812 elements',
      );
      expect(r.stdout).toContain('reconciled: every tensor is explained');
    } finally {
      endpoint = await hub.start();
    }
    // the cache holds JSON and headers only, under HF_HOME/moe-sweep
    expect(readdirSync(join(home, 'moe-sweep', 'hub', 'tiny', 'qwen3-moe', 'main')).sort()).toEqual([
      'config.json',
      'headers',
      'model.safetensors.index.json.absent',
    ]);
  });

  it('a revision is part of the URL and of the cache', async () => {
    hub.log.length = 0;
    const r = await cliWith({ env: envFor(home) }, 'inspect', 'tiny/qwen3-moe@v1.0', '--json');
    expect(r.code).toBe(0);
    expect(hub.log[0]?.url).toBe('/tiny/qwen3-moe/resolve/v1.0/config.json');
  });

  it('an indexed, gated repo: 401 without HF_TOKEN, then every shard header with it', async () => {
    const fresh = useTempDir('moe-sweep-hf-');
    const denied = await cliWith({ env: envFor(fresh) }, 'inspect', 'tiny/deepseek-v3');
    expect(denied.code).toBe(2);
    expect(denied.stderr).toBe(
      `tiny/deepseek-v3: config.json: HTTP 401: the repository is gated or private; accept its licence on the model page and set HF_TOKEN to an access token (${endpoint}/tiny/deepseek-v3)\n`,
    );
    hub.log.length = 0;
    const ok = await cliWith(
      { env: envFor(fresh, { HF_TOKEN: 'hf_secret' }), isTTY: true },
      'inspect',
      'tiny/deepseek-v3',
      '--json',
    );
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    // the folder test's hand-worked figures: 4274 elements, 5912 bytes, MTP and scales explained
    expect(j.checkpoint).toMatchObject({
      files: 2,
      elements: 4274,
      bytes: 5912,
      unexplained: [],
      missing: [],
      reconciled: true,
    });
    expect(hub.log.every((l) => l.auth === 'Bearer hf_secret' || l.url.startsWith('/cdn/'))).toBe(true);
    // a progress line on the terminal while the headers download, cleared at the end
    expect(ok.stderr).toContain('reading safetensors headers: 2/2 shards');
    expect(ok.stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('a wrong token says the token lacks access', async () => {
    const r = await cliWith(
      { env: envFor(useTempDir('moe-sweep-hf-'), { HF_TOKEN: 'hf_wrong' }) },
      'inspect',
      'tiny/deepseek-v3',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HF_TOKEN was sent but does not give access');
  });

  it('404s name the repository, the revision or the file', async () => {
    const env = envFor(useTempDir('moe-sweep-hf-'));
    const noRepo = await cliWith({ env }, 'inspect', 'tiny/nothing-here');
    expect(noRepo).toMatchObject({ code: 2 });
    expect(noRepo.stderr).toBe(
      'tiny/nothing-here: config.json: repository tiny/nothing-here not found (or private: set HF_TOKEN to a token that can read it)\n',
    );
    const noRev = await cliWith({ env }, 'inspect', 'tiny/qwen3-moe@v9');
    expect(noRev.stderr).toBe('tiny/qwen3-moe@v9: config.json: revision "v9" not found in tiny/qwen3-moe (HTTP 404)\n');
    const noConfig = await cliWith({ env }, 'inspect', 'tiny/no-config');
    expect(noConfig.stderr).toBe('tiny/no-config: config.json: no such file at revision "main" (HTTP 404)\n');
  });

  it('a server that ignores Range: the body is abandoned at once, with a one-line explanation', async () => {
    const r = await cliWith({ env: envFor(useTempDir('moe-sweep-hf-')) }, 'inspect', 'tiny/no-range');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'tiny/no-range: model.safetensors: the server ignored the Range request (HTTP 200 with the whole file) and the download was stopped; inspect reads only safetensors headers and needs a server with Range support\n',
    );
    // of the 4 GB announced, the server got to send at most a few socket buffers before the client closed
    await new Promise((ok) => setTimeout(ok, 50));
    expect(hub.sent.get('/cdn/tiny/no-range/resolve/main/model.safetensors') ?? 0).toBeLessThan(64 * 1024 ** 2);
  });

  it('a repo without safetensors weights is counted from its config alone', async () => {
    const r = await cliWith({ env: envFor(useTempDir('moe-sweep-hf-')) }, 'inspect', 'tiny/config-only');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no safetensors or GGUF weights in tiny/config-only: counts from config.json only');
  });

  it('a network failure and a timeout are one line each', async () => {
    // a port nothing listens on: opened, then closed again
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((ok) => probe.close(ok));
    const closed = await cliWith(
      { env: { HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_HOME: useTempDir('moe-sweep-hf-') } },
      'inspect',
      'tiny/qwen3-moe',
    );
    expect(closed.code).toBe(2);
    expect(closed.stderr).toBe(`tiny/qwen3-moe: config.json: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)\n`);
    const o = { ...hubOptionsFromEnv(envFor(useTempDir('moe-sweep-hf-'))), timeoutMs: 200 };
    await expect(fetchHubCheckpoint({ repo: 'tiny/slow', revision: 'main' }, o)).rejects.toThrow(
      `tiny/slow: config.json: no answer from ${endpoint} within 0.2 s`,
    );
  });
});
