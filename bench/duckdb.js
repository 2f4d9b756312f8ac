// The SQL baseline of `npm run bench`: an abstract sweep (bench/m10.yaml or bench/m100.yaml) as ONE
// DuckDB statement, run through @duckdb/node-api, writing the feasible rows to a CSV as moe-sweep does.
// The grid is range() cross joins, the metrics and constraints are expressions, the Pareto front
// (min active_params, max total_params, the default objectives) is window max()es and COPY writes
// the file. Reports wall time and peak RSS as one JSON line on stderr, like measure.js.
//
// Usage: node bench/duckdb.js m10|m100 OUT.csv [threads]
import { DuckDBInstance } from '@duckdb/node-api';

const t0 = performance.now();
const [name, out, threads] = process.argv.slice(2);
// The axes of bench/m10.yaml and bench/m100.yaml (only the expert_params step differs): experts
// 8..512 step 8, top_k 1..16, expert_params from one step to 10B by that step, shared 1B..20B step 1B.
const EXPERT_STEPS = { m10: 500, m100: 5000 };
const steps = EXPERT_STEPS[name];
if (!steps || !out) {
  process.stderr.write('usage: node bench/duckdb.js m10|m100 OUT.csv [threads]\n');
  process.exit(2);
}
const step = 10e9 / steps; // 0.02B for m10, 0.002B for m100: whole numbers, so BIGINT arithmetic is exact
const BPW = 2; // bf16
const OVERHEAD = 0.15;

// Columns and their order as in moe-sweep's results.csv. Counts are BIGINT, ratios DOUBLE; the front
// follows moe-sweep's rule: a point is on it unless another has active <= and total >= with one of
// them strict, so a point whose objectives tie another's is on the front with it. Rows come out in
// grid order (experts, top_k, expert_params, shared_params), as moe-sweep writes them.
const sql = `
COPY (
  WITH grid AS (
    SELECT e.range AS experts, k.range AS top_k, x.range * ${step} AS expert_params, s.range * 1000000000 AS shared_params
    FROM range(8, 513, 8) e, range(1, 17) k, range(1, ${steps + 1}) x, range(1, 21) s
    WHERE k.range <= e.range
  ), metrics AS (
    SELECT *,
      shared_params + experts * expert_params AS total_params,
      shared_params + top_k * expert_params AS active_params
    FROM grid
  ), feasible AS (
    SELECT *,
      active_params / total_params AS active_ratio,
      total_params * ${BPW} AS weight_bytes,
      round(total_params * ${BPW} * ${1 + OVERHEAD})::BIGINT AS vram_bytes
    FROM metrics
    WHERE active_params BETWEEN 28000000000 AND 32000000000
      AND active_params / total_params BETWEEN 0.03 AND 0.25
      AND round(total_params * ${BPW} * ${1 + OVERHEAD}) <= 640000000000
  ), front AS (
    SELECT *,
      max(total_params) OVER (ORDER BY active_params RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS best_below,
      max(total_params) OVER (PARTITION BY active_params) AS best_at
    FROM feasible
  )
  SELECT NULL::VARCHAR AS design, experts, top_k, expert_params, shared_params, total_params, active_params, active_ratio,
    1 - top_k / experts AS expert_sparsity, 1 - active_ratio AS compute_saving, 2 * active_params AS flops_per_token,
    weight_bytes, vram_bytes, true AS feasible,
    total_params = best_at AND (best_below IS NULL OR total_params > best_below) AS pareto, NULL::VARCHAR AS violations
  FROM front
  ORDER BY experts, top_k, expert_params, shared_params
) TO '${out.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`;

const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
const connection = await instance.connect();
const result = await connection.run(sql);
const rows = Number((await result.getRowObjects())[0]?.Count ?? -1);
connection.closeSync();
instance.closeSync();
const ms = performance.now() - t0;
process.stderr.write(`${JSON.stringify({ code: 0, ms, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
