// A checkpoint on the Hugging Face Hub, read the way `inspect` reads a folder: config.json and the
// safetensors index downloaded whole (small JSON), then each shard's header through HTTP Range
// requests (bytes=0-7 for its length N, then bytes=8-(8+N-1)), never the weights. Files come from
// {HF_ENDPOINT}/{repo}/resolve/{revision}/{file}, the URL layout huggingface_hub downloads from;
// HF_TOKEN goes as a bearer token. Everything read is cached (cache.ts).
import {
  parseSafetensorsHeader,
  SAFETENSORS_INDEX,
  safetensorsHeaderLength,
  safetensorsIndexShards,
} from '../checkpoint/safetensors.js';
import type { CheckpointFiles } from '../checkpoint/source.js';
import { HeaderError, type TensorInfo } from '../checkpoint/tensor.js';
import { InputError } from '../findings/errors.js';
import { type Env, HubCache, hubCacheRoot, refCacheDir } from './cache.js';
import { type HubRef, showRef } from './ref.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
const SINGLE = 'model.safetensors';
/** Marks a file the repo does not have, so the cache answers "absent" offline too. */
const ABSENT = '.absent';

export interface HubOptions {
  endpoint: string;
  token?: string;
  /** the cache root (hub/ORG/NAME/REVISION below it) */
  cacheRoot: string;
  /** per request, body included; default 30 s */
  timeoutMs?: number;
  /** shard headers read at once; default 8 */
  concurrency?: number;
  /** called as shard headers arrive (not for cache hits) */
  onProgress?: (done: number, total: number) => void;
}

export function hubOptionsFromEnv(env: Env): HubOptions {
  const token = env['HF_TOKEN'] || undefined;
  return {
    endpoint: (env['HF_ENDPOINT'] || DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    token,
    cacheRoot: hubCacheRoot(env),
  };
}

/** Why the Hub could not be read: one line, exit 2. */
export class HubError extends InputError {
  override name = 'HubError';
  constructor(
    message: string,
    /** the HTTP status and X-Error-Code behind it, when the Hub answered */
    readonly status?: number,
    readonly code?: string | null,
  ) {
    super(message);
  }
}

class Client {
  readonly cache: HubCache;
  private readonly timeoutMs: number;
  constructor(
    readonly ref: HubRef,
    readonly o: HubOptions,
  ) {
    this.cache = new HubCache(refCacheDir(o.cacheRoot, ref));
    this.timeoutMs = o.timeoutMs ?? 30_000;
  }

  url(file: string): string {
    const path = file.split('/').map(encodeURIComponent).join('/');
    return `${this.o.endpoint}/${this.ref.repo}/resolve/${encodeURIComponent(this.ref.revision)}/${path}`;
  }

  private where(file: string): string {
    return `${showRef(this.ref)}: ${file}`;
  }

  /** One request with the timeout running over headers and body alike; `use` reads the response. */
  async request<T>(
    file: string,
    range: string | undefined,
    use: (r: Response, abort: () => void) => Promise<T>,
  ): Promise<T> {
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, this.timeoutMs);
    const headers: Record<string, string> = { 'user-agent': 'moe-sweep', 'accept-encoding': 'identity' };
    if (this.o.token) headers['authorization'] = `Bearer ${this.o.token}`;
    if (range) headers['range'] = range;
    try {
      const res = await fetch(this.url(file), { headers, signal: ctrl.signal, redirect: 'follow' });
      return await use(res, () => ctrl.abort());
    } catch (e) {
      if (e instanceof HubError) throw e;
      if (timedOut)
        throw new HubError(`${this.where(file)}: no answer from ${this.o.endpoint} within ${this.timeoutMs / 1000} s`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new HubError(`${this.where(file)}: cannot reach ${this.o.endpoint} (${why})`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The one-line error of an answer that is not a success, keeping its status and X-Error-Code. */
  private failure(file: string, res: Response): HubError {
    return new HubError(this.failureMessage(file, res), res.status, res.headers.get('x-error-code'));
  }

  private failureMessage(file: string, res: Response): string {
    const code = res.headers.get('x-error-code');
    const s = res.status;
    if (s === 401 || s === 403) {
      if (code === 'RepoNotFound')
        return `${this.where(file)}: repository ${this.ref.repo} not found (or private: set HF_TOKEN to a token that can read it)`;
      const tokenNote = this.o.token
        ? 'HF_TOKEN was sent but does not give access: accept the licence with the account that owns the token'
        : 'accept its licence on the model page and set HF_TOKEN to an access token';
      return `${this.where(file)}: HTTP ${s}: the repository is gated or private; ${tokenNote} (${this.o.endpoint}/${this.ref.repo})`;
    }
    if (s === 404) {
      if (code === 'RepoNotFound') return `${this.where(file)}: repository ${this.ref.repo} not found (HTTP 404)`;
      if (code === 'RevisionNotFound')
        return `${this.where(file)}: revision "${this.ref.revision}" not found in ${this.ref.repo} (HTTP 404)`;
      if (code === 'EntryNotFound')
        return `${this.where(file)}: no such file at revision "${this.ref.revision}" (HTTP 404)`;
      return `${this.where(file)}: not found (HTTP 404): check the repository, the revision and the file`;
    }
    if (s === 416) return `${this.where(file)}: HTTP 416: the file is shorter than its safetensors header says`;
    return `${this.where(file)}: HTTP ${s} ${res.statusText}`.trimEnd();
  }

  /** A small file whole (config.json, the index); null when `optional` and the Hub says it is not there. */
  async text(file: string, optional = false): Promise<string | null> {
    const cached = this.cache.read(file);
    if (cached) return cached.toString('utf8');
    if (optional && this.cache.read(file + ABSENT)) return null;
    const body = await this.request(file, undefined, async (res, abort) => {
      if (
        res.status === 404 &&
        optional &&
        res.headers.get('x-error-code') !== 'RepoNotFound' &&
        res.headers.get('x-error-code') !== 'RevisionNotFound'
      ) {
        abort();
        return null;
      }
      if (!res.ok) {
        abort();
        throw this.failure(file, res);
      }
      // config.json and an index are kilobytes to a few megabytes; anything far larger is not one
      return new TextDecoder().decode(
        await readCapped(
          res,
          64 * 1024 * 1024,
          abort,
          () => new HubError(`${this.where(file)}: larger than 64 MB, not a JSON file`),
        ),
      );
    });
    if (body === null) this.cache.write(file + ABSENT, '');
    else this.cache.write(file, body);
    return body;
  }

  /** Bytes [start, end] of a file through a Range request, refusing a server that sends the whole file. */
  async range(file: string, start: number, end: number): Promise<{ bytes: Uint8Array; size: number | undefined }> {
    return this.request(file, `bytes=${start}-${end}`, async (res, abort) => {
      if (res.status === 200) {
        abort(); // the whole file is coming: for a shard, gigabytes of weights
        throw new HubError(
          `${this.where(file)}: the server ignored the Range request (HTTP 200 with the whole file) and the download was stopped; ` +
            'inspect reads only safetensors headers and needs a server with Range support',
        );
      }
      if (res.status !== 206) {
        abort();
        throw this.failure(file, res);
      }
      const want = end - start + 1;
      const bytes = await readCapped(
        res,
        want,
        abort,
        () => new HubError(`${this.where(file)}: the server sent more than the ${want} bytes asked for`),
      );
      if (bytes.length < want)
        throw new HubError(`${this.where(file)}: the server sent ${bytes.length} of the ${want} bytes asked for`);
      const total = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1];
      return { bytes, size: total === undefined ? undefined : Number(total) };
    });
  }

  /** A shard's tensors from its header: cached, or two Range requests. */
  async shard(file: string): Promise<{ tensors: TensorInfo[]; fetched: boolean }> {
    const shown = `${showRef(this.ref)}/${file}`;
    const cached = this.cache.read(`headers/${file}.json`);
    try {
      if (cached) return { tensors: parseSafetensorsHeader(cached, shown), fetched: false };
      const first = await this.range(file, 0, 7);
      const n = safetensorsHeaderLength(first.bytes, shown);
      if (first.size !== undefined && 8 + n > first.size)
        throw new HeaderError(`${shown}: its header claims ${n} bytes but the file has ${first.size}`);
      const header = await this.range(file, 8, 8 + n - 1);
      const dataBytes = first.size === undefined ? undefined : first.size - 8 - n;
      const tensors = parseSafetensorsHeader(header.bytes, shown, dataBytes);
      this.cache.write(`headers/${file}.json`, header.bytes);
      return { tensors, fetched: true };
    } catch (e) {
      if (e instanceof HeaderError) throw new HubError(e.message);
      throw e;
    }
  }
}

/** The body of a response, at most `cap` bytes: past that the request is aborted and `tooLarge` thrown. */
async function readCapped(res: Response, cap: number, abort: () => void, tooLarge: () => Error): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > cap) {
    abort();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > cap) {
        abort();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** config.json of a Hub repo, fetched into the cache if it is not there yet; returns its cached path. */
export async function fetchHubConfig(ref: HubRef, o: HubOptions): Promise<string> {
  const c = new Client(ref, o);
  await c.text('config.json');
  return c.cache.path('config.json');
}

/** The cached config.json of a Hub repo, if an earlier call fetched it. */
export function cachedHubConfigPath(ref: HubRef, cacheRoot: string): string | undefined {
  const cache = new HubCache(refCacheDir(cacheRoot, ref));
  return cache.read('config.json') ? cache.path('config.json') : undefined;
}

/**
 * A Hub checkpoint as `inspect` reads it: config.json, the index (or the one model.safetensors) and
 * every shard's header; format null when the repo has no safetensors weights.
 */
export async function fetchHubCheckpoint(ref: HubRef, o: HubOptions): Promise<CheckpointFiles> {
  const c = new Client(ref, o);
  const configName = `${showRef(ref)}/config.json`;
  const config = (await c.text('config.json')) as string;
  const indexText = await c.text(SAFETENSORS_INDEX, true);
  if (indexText === null) {
    // no index: one model.safetensors, if the repo has it
    if (c.cache.read(SINGLE + ABSENT)) return { config, configName, format: null, files: 0, tensors: [] };
    try {
      const r = await c.shard(SINGLE);
      if (r.fetched) o.onProgress?.(1, 1);
      return { config, configName, format: 'safetensors', files: 1, tensors: r.tensors };
    } catch (e) {
      if (!(e instanceof HubError && e.status === 404 && e.code === 'EntryNotFound')) throw e;
      c.cache.write(SINGLE + ABSENT, '');
      return { config, configName, format: null, files: 0, tensors: [] };
    }
  }
  let shards: string[];
  try {
    shards = safetensorsIndexShards(JSON.parse(indexText), `${showRef(ref)}/${SAFETENSORS_INDEX}`).shards;
  } catch (e) {
    throw new HubError(
      e instanceof HeaderError ? e.message : `${showRef(ref)}/${SAFETENSORS_INDEX}: is not valid JSON`,
    );
  }
  const results: TensorInfo[][] = new Array(shards.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (next < shards.length && !failed) {
      const i = next++;
      const r = await c.shard(shards[i]!).catch((e: unknown) => {
        failed = true; // the other workers take no new shard
        throw e;
      });
      results[i] = r.tensors;
      done++;
      if (r.fetched) o.onProgress?.(done, shards.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, shards.length) }, worker));
  return { config, configName, format: 'safetensors', files: shards.length, tensors: results.flat() };
}
