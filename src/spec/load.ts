// Reading a spec file: bytes → UTF-8 text → YAML document → shape check (zod) → normalised SweepSpec.
// Every failure becomes a SpecError that points at the file, line and column of the culprit.
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { SpecSchema, keysAt, type RawSpec } from './schema.js';
import { SpecError, nearest, oneLine, type PathSegment } from '../findings/errors.js';
import { Locator } from './locator.js';
import { normalizeSpec } from './normalize.js';
import type { SweepSpec } from './types.js';
import { loadCatalog, type Catalog } from '../catalog/index.js';

export interface LoadOptions {
  /** Refuse grids with more points than this before any work (default 1e9). */
  maxPoints?: number;
  /** The name errors and reports use for the file (default: the path as given). */
  displayName?: string;
  /** Presets, GPUs and scaling laws the spec may name (default: the package's own, read on first use). */
  catalog?: Catalog;
  /** Environment for Hub ids in `architecture.config` (HF_HOME, the cache they were fetched into); default the process's. */
  env?: Record<string, string | undefined>;
}

import { DEFAULT_MAX_POINTS } from './limits.js';
import { readSpecText } from './read.js';

export { DEFAULT_MAX_POINTS, readSpecText };

export function loadSpec(path: string, options: LoadOptions = {}): SweepSpec {
  const name = options.displayName ?? path;
  return parseSpec(readSpecText(path, name), name, options);
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PathSegment, unknown>)[seg];
  }
  return v;
}

type Issue = z.core.$ZodIssue;

/**
 * In a failed union, the branch that got furthest is the one the user meant. Returns the innermost
 * issue and its path relative to `issue.path`.
 */
function mostSpecific(issue: Issue): { leaf: Issue; rel: PathSegment[] } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { leaf: issue, rel: [] };
  const score = (branch: Issue[]) => {
    const unknownKeys = branch.some((i) => i.code === 'unrecognized_keys') ? 1 : 0;
    const depth = Math.max(...branch.map((i) => i.path.length));
    return [unknownKeys, -depth, branch.length] as const;
  };
  const ranked = [...issue.errors].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  const best = ranked[0]!;
  if (Math.max(...best.map((i) => i.path.length)) === 0 && !best.some((i) => i.code === 'unrecognized_keys')) {
    return { leaf: issue, rel: [] }; // no branch got past the value's type: the union's own message says it best
  }
  const first = best.find((i) => i.path.length > 0) ?? best[0]!;
  const inner = mostSpecific(first);
  return { leaf: inner.leaf, rel: [...(first.path as PathSegment[]), ...inner.rel] };
}

function issueToError(issue: Issue, data: unknown, at: Locator): SpecError {
  const { leaf, rel } = mostSpecific(issue);
  const path = [...(issue.path as PathSegment[]), ...rel];
  if (leaf.code === 'unrecognized_keys') {
    const key = leaf.keys[0]!;
    const valid = keysAt(path);
    const guess = nearest(key, valid)[0];
    const hint = guess ? `did you mean "${guess}"?` : `expected one of: ${valid.join(', ')}`;
    return at.error([...path, key], `unknown key ${oneLine(JSON.stringify(key))}: ${hint}`, { atKey: true });
  }
  const value = valueAt(data, path);
  let expected = leaf.message.startsWith('expected') ? leaf.message : `expected ${leaf.message}`;
  if (value === undefined) expected = `missing; ${expected}`;
  return at.expected(path, expected, value);
}

/** The first mapping key that is itself a list or mapping (`? [a]: 1`), which JSON-like data cannot hold. */
function findCollectionKey(node: unknown): Node | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (pair.key !== null && typeof pair.key === 'object' && !isScalar(pair.key)) return pair.key as Node;
      const inner = findCollectionKey(pair.value);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findCollectionKey(item);
      if (inner) return inner;
    }
  }
  return undefined;
}

export function parseSpec(text: string, file: string, options: LoadOptions = {}): SweepSpec {
  const lines = new LineCounter();
  // logLevel 'error': the yaml library would otherwise print warnings on stderr, which is ours.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = new Locator(file, doc, lines);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0] ?? lines.linePos(yamlError.pos[0]);
    const message = oneLine(yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
    throw new SpecError(file, pos.line, pos.col, [], `invalid YAML: ${message}`);
  }
  const collectionKey = findCollectionKey(doc.contents);
  if (collectionKey) {
    const pos = lines.linePos(collectionKey.range?.[0] ?? 0);
    throw new SpecError(
      file,
      pos.line,
      pos.col,
      [],
      'invalid key: expected a plain name, got a list or mapping used as a key',
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new SpecError(file, 1, 1, [], `invalid YAML: ${(err as Error).message}`);
  }
  if (data === null || data === undefined)
    throw new SpecError(file, 0, 0, [], 'is empty, expected a sweep spec (see README, "The sweep spec")');
  if (typeof data !== 'object' || Array.isArray(data))
    throw at.expected([], 'expected a mapping of spec fields (name, grid, constraints, …)', data);

  const parsed = SpecSchema.safeParse(data);
  if (!parsed.success) {
    // Report the issue that comes first in the file, as a compiler would.
    const errors = parsed.error.issues.map((i) => issueToError(i, data, at));
    errors.sort((a, b) => a.line - b.line || a.col - b.col);
    throw errors[0]!;
  }
  const raw: RawSpec = parsed.data;
  const defaultName =
    basename(file, extname(file))
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '') || 'sweep';
  const sha256 = createHash('sha256').update(text).digest('hex');
  return normalizeSpec(raw, {
    file,
    catalog: options.catalog ?? loadCatalog(),
    env: options.env,
    at,
    defaultName,
    sha256,
    maxPoints: options.maxPoints ?? DEFAULT_MAX_POINTS,
    doc,
    lines,
  });
}
