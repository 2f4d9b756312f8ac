// An architecture read from a Hugging Face config.json: the one piece of I/O around the pure
// reader in src/arch, shared by presets, specs (`architecture: {config: …}`) and `calc --config`.
// Where a config.json is accepted, so is a checkpoint folder (its config.json) and a Hub id
// ORG/NAME[@REVISION] once fetched into the cache (prefetchConfig does that before the
// synchronous readers run). An existing file or folder always wins over a Hub id of the same spelling.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Document } from 'yaml';
import { architectureFromHfConfig } from '../arch/hf-config/index.js';
import type { Architecture } from '../arch/types.js';
import { type Env, hubCacheRoot } from '../hub/cache.js';
import { cachedHubConfigPath, fetchHubConfig, hubOptionsFromEnv } from '../hub/client.js';
import { type HubRef, parseHubRef, showRef } from '../hub/ref.js';

/** Why a config.json could not be read, in one line that names the file as `shown`. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/** What a model argument names: a config.json, a checkpoint folder, or a Hub repo. */
export type ModelSource =
  | { kind: 'file'; path: string }
  | { kind: 'folder'; path: string }
  | { kind: 'hub'; ref: HubRef }
  | { kind: 'missing'; path: string };

/** The rule: an existing file or folder (relative to `baseDir`) first, then a Hub id, else a missing path. */
export function modelSource(arg: string, baseDir: string): ModelSource {
  const path = resolve(baseDir, arg);
  try {
    return statSync(path).isDirectory() ? { kind: 'folder', path } : { kind: 'file', path };
  } catch {
    const ref = parseHubRef(arg);
    return ref ? { kind: 'hub', ref } : { kind: 'missing', path };
  }
}

export function readArchitecture(path: string, shown = path): Architecture {
  let file = path;
  let label = shown;
  try {
    if (statSync(path).isDirectory()) {
      file = join(path, 'config.json');
      label = `${shown.replace(/\/+$/, '')}/config.json`;
    }
  } catch {
    // the read below says what is wrong
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigFileError(`cannot read ${label} as JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return architectureFromHfConfig(json, label);
  } catch (e) {
    throw new ConfigFileError((e as Error).message.split('\n')[0]!);
  }
}

/**
 * The architecture of a model argument (a config.json, a folder, or a Hub id already in the cache),
 * paths relative to `baseDir`.
 */
export function readModelArchitecture(arg: string, baseDir: string, env: Env = process.env): Architecture {
  const src = modelSource(arg, baseDir);
  if (src.kind !== 'hub') return readArchitecture(src.path, arg);
  const cached = cachedHubConfigPath(src.ref, hubCacheRoot(env));
  if (!cached) {
    throw new ConfigFileError(
      `${arg}: no such file or folder, and the Hub repo ${showRef(src.ref)} has not been fetched`,
    );
  }
  return readArchitecture(cached, `${showRef(src.ref)}/config.json`);
}

/** Fetch the config.json of a Hub id into the cache, so readModelArchitecture finds it; paths and cached ids cost nothing. */
export async function prefetchConfig(arg: string, baseDir: string, env: Env): Promise<void> {
  const src = modelSource(arg, baseDir);
  if (src.kind !== 'hub') return;
  const o = hubOptionsFromEnv(env);
  if (cachedHubConfigPath(src.ref, o.cacheRoot)) return;
  await fetchHubConfig(src.ref, o);
}

/**
 * Every `architecture: {config: …}` string in a spec, wherever the spec nests it. The YAML nodes are
 * walked as written, aliases not followed, so a cyclic or exponential alias costs nothing here.
 */
function specConfigs(doc: Document, { isMap, isScalar, visit }: typeof import('yaml')): string[] {
  const out: string[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'architecture' || !isMap(pair.value)) return;
      const config = pair.value.get('config', true);
      if (isScalar(config) && typeof config.value === 'string') out.push(config.value);
    },
  });
  return out;
}

/**
 * Fetch into the cache the Hub configs a spec names, before the synchronous loader reads it. A
 * spec that does not parse is left to the loader, which says where it is wrong.
 */
export async function prefetchSpecConfigs(text: string, specDir: string, env: Env): Promise<void> {
  // imported here: `calc` and `inspect` read config files through this module and never need YAML
  const yaml = await import('yaml');
  let doc: Document;
  try {
    // a document, not parse(): parse would print YAML warnings on the process's stderr
    doc = yaml.parseDocument(text);
  } catch {
    return;
  }
  if (doc.errors.length > 0) return;
  for (const c of new Set(specConfigs(doc, yaml))) await prefetchConfig(c, specDir, env);
}
