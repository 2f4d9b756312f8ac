// Sharding a sweep across machines. `--shard I/N` evaluates the I-th of N contiguous slices of the
// grid and writes what a merge needs: the slice's counts, aggregates, local Pareto front and
// feasibility bitmap (shard.json + feasible.bin), with the spec's text so the merge can rebuild
// everything else. `merge` combines a complete set into exactly what a single run writes: the rows
// are regenerated from the spec and the global front by the same code, so the CSV is byte-identical.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChunkSummary } from '../evaluate/plan.js';
import { InputError } from '../findings/errors.js';
import { parseSpec } from '../spec/load.js';
import type { Catalog } from '../catalog/index.js';
import type { SweepSpec } from '../spec/types.js';
import { combineChunks } from '../sweep/assemble.js';
import { gridPoints } from '../sweep/plan.js';
import type { SweepResult } from '../sweep/types.js';
import { TOOL_VERSION } from '../catalog/version.js';

export const SHARD_FORMAT = 'moe-sweep-shard/1';

export interface ShardId {
  index: number;
  count: number;
}

/** "2/8" → {index: 2, count: 8}; shards are numbered 0 … N−1 (Kubernetes' JOB_COMPLETION_INDEX). */
export function parseShard(text: string): ShardId {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count)
    throw new InputError(`--shard: expected I/N with 0 ≤ I < N (such as 0/4), got "${text}"`);
  return { index, count };
}

/** The grid indices of shard I of N: contiguous, as equal as integers allow, covering the grid once. */
export function shardRange(points: number, { index, count }: ShardId): [number, number] {
  return [Math.floor((index * points) / count), Math.floor(((index + 1) * points) / count)];
}

interface ShardFile {
  format: string;
  tool_version: string;
  spec: { file: string; sha256: string; text: string };
  shard: ShardId & { start: number; end: number; grid_points: number };
  evaluate_ms: number;
  chunks: {
    start: number;
    end: number;
    evaluated: number;
    feasible: number;
    cellEvaluated: number[];
    cellFeasible: number[];
    violations: number[];
    frontIndex: number[];
    frontObjectives: number[];
    bins: number[] | null;
    /** Byte offset and length of this chunk's bitmap in feasible.bin, or null when none was kept. */
    bits: [number, number] | null;
  }[];
}

export function writeShardFiles(result: SweepResult, specText: string, shard: ShardId, dir: string): string[] {
  const chunks = result.slices;
  const bitmaps: Uint8Array[] = [];
  let offset = 0;
  const file: ShardFile = {
    format: SHARD_FORMAT,
    tool_version: TOOL_VERSION,
    spec: { file: result.spec.file, sha256: result.spec.sha256, text: specText },
    shard: { ...shard, start: result.range[0], end: result.range[1], grid_points: gridPoints(result.spec) },
    evaluate_ms: result.timings.evaluate_ms,
    chunks: chunks.map((c) => {
      let bits: [number, number] | null = null;
      if (c.feasibleBits) {
        bits = [offset, c.feasibleBits.length];
        bitmaps.push(c.feasibleBits);
        offset += c.feasibleBits.length;
      }
      return {
        start: c.start,
        end: c.end,
        evaluated: c.evaluated,
        feasible: c.feasible,
        cellEvaluated: [...c.cellEvaluated],
        cellFeasible: [...c.cellFeasible],
        violations: [...c.violations],
        frontIndex: [...c.frontIndex],
        frontObjectives: [...c.frontObjectives],
        bins: c.bins ? [...c.bins] : null,
        bits,
      };
    }),
  };
  writeFileSync(join(dir, 'shard.json'), `${JSON.stringify(file)}\n`);
  writeFileSync(join(dir, 'feasible.bin'), Buffer.concat(bitmaps));
  return ['shard.json', 'feasible.bin'];
}

interface LoadedShard {
  dir: string;
  file: ShardFile;
  bits: Buffer;
}

function loadShard(dir: string, cwd: string): LoadedShard {
  const path = join(resolve(cwd, dir), 'shard.json');
  let file: ShardFile;
  try {
    statSync(path);
  } catch {
    throw new InputError(
      `${dir}: no shard.json here; expected the --out folder of a \`moe-sweep SPEC --shard I/N\` run`,
    );
  }
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as ShardFile;
  } catch (err) {
    throw new InputError(`${path}: is not valid JSON (${(err as Error).message})`);
  }
  if (file.format !== SHARD_FORMAT)
    throw new InputError(
      `${path}: expected a shard result of format ${SHARD_FORMAT}, got ${JSON.stringify(file.format)}`,
    );
  const bits = readFileSync(join(resolve(cwd, dir), 'feasible.bin'));
  return { dir, file, bits };
}

export interface MergedShards {
  spec: SweepSpec;
  result: SweepResult;
}

/** Checks that the shards are one complete set from one spec, then combines them. */
export function mergeShards(dirs: string[], workers: number, cwd: string, catalog: Catalog): MergedShards {
  if (dirs.length === 0) throw new InputError('merge: expected one or more shard folders');
  const shards = dirs.map((d) => loadShard(d, cwd));
  const first = shards[0]!.file;
  for (const s of shards) {
    if (s.file.spec.sha256 !== first.spec.sha256) {
      throw new InputError(
        `merge: ${s.dir} comes from a different spec (sha256 ${s.file.spec.sha256.slice(0, 12)}…) than ${shards[0]!.dir} (${first.spec.sha256.slice(0, 12)}…)`,
      );
    }
    if (s.file.shard.count !== first.shard.count)
      throw new InputError(
        `merge: ${s.dir} is one of ${s.file.shard.count} shards, ${shards[0]!.dir} one of ${first.shard.count}`,
      );
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.file.shard.index);
    if (other)
      throw new InputError(
        `merge: shard ${s.file.shard.index}/${first.shard.count} is given twice (${other} and ${s.dir})`,
      );
    seen.set(s.file.shard.index, s.dir);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length)
    throw new InputError(
      `merge: incomplete set: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`,
    );

  const spec = parseSpec(first.spec.text, first.spec.file, { catalog });
  const chunks: ChunkSummary[] = shards.flatMap(({ file, bits }) =>
    file.chunks.map((c) => ({
      start: c.start,
      end: c.end,
      evaluated: c.evaluated,
      feasible: c.feasible,
      cellEvaluated: Float64Array.from(c.cellEvaluated),
      cellFeasible: Float64Array.from(c.cellFeasible),
      violations: Float64Array.from(c.violations),
      frontIndex: Float64Array.from(c.frontIndex),
      frontObjectives: Float64Array.from(c.frontObjectives),
      bins: c.bins ? Float64Array.from(c.bins) : undefined,
      feasibleBits: c.bits ? new Uint8Array(bits.buffer, bits.byteOffset + c.bits[0], c.bits[1]) : undefined,
    })),
  );
  const evaluateMs = shards.reduce((t, s) => t + s.file.evaluate_ms, 0);
  return { spec, result: combineChunks(spec, chunks, workers, evaluateMs) };
}
