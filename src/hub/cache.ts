// The Hub cache: config.json, the safetensors index and each shard's header, kept under
// $HF_HOME/moe-sweep (HF_HOME defaults to $XDG_CACHE_HOME/huggingface, then ~/.cache/huggingface,
// as huggingface_hub resolves it), so a second `inspect` of the same repo and revision is offline.
// Weights are never fetched, so the cache stays small: a few hundred kilobytes per repo.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HubRef } from './ref.js';

export type Env = Record<string, string | undefined>;

export function hubCacheRoot(env: Env): string {
  const hfHome =
    env['HF_HOME'] || join(env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache'), 'huggingface');
  return join(hfHome, 'moe-sweep');
}

/** The folder of one repo at one revision (a revision such as refs/pr/1 becomes one path segment). */
export function refCacheDir(root: string, ref: HubRef): string {
  const [org, name] = ref.repo.split('/') as [string, string];
  return join(root, 'hub', org, name, encodeURIComponent(ref.revision));
}

export class HubCache {
  constructor(readonly dir: string) {}

  path(file: string): string {
    return join(this.dir, ...file.split('/'));
  }

  read(file: string): Buffer | undefined {
    try {
      return readFileSync(this.path(file));
    } catch {
      return undefined;
    }
  }

  /** Written beside and renamed into place, so a cache file is whole or absent. */
  write(file: string, data: string | Uint8Array): void {
    const p = this.path(file);
    try {
      mkdirSync(dirname(p), { recursive: true });
      const tmp = `${p}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, p);
    } catch {
      // a cache that cannot be written costs a second download, nothing else
    }
  }
}
