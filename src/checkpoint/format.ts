/** The reconciliation as text, printed after inspect's own table. */
import { bytesUnit, PART_LABELS, withThousands, withUnit } from '../arch/inspect.js';
import type { CheckpointModule } from './modules.js';
import type { CheckpointReport } from './reconcile.js';

// inspect's own names of the weight parts, and the one row the reconciliation adds
const LABELS: Record<CheckpointModule, string> = { ...PART_LABELS, quantization_scales: 'quantisation scales' };

/** Tensor names listed in the text (all of them are in --json). */
const SHOWN_NAMES = 12;

const signed = (n: number) => (n > 0 ? `+${withThousands(n)}` : withThousands(n));

export function formatCheckpoint(c: CheckpointReport, source: string): string {
  const lines: string[] = [];
  const kind = c.format === 'gguf' ? 'GGUF' : 'safetensors';
  lines.push(
    `Checkpoint ${source}: ${c.files} ${kind} file${c.files === 1 ? '' : 's'} (headers only), ` +
      `${withThousands(c.tensors)} tensors, ${withThousands(c.elements)} elements (${withUnit(c.elements)}), ` +
      `${withThousands(c.bytes)} bytes (${bytesUnit(c.bytes)})`,
  );
  lines.push(
    `  dtypes: ${Object.entries(c.dtypes)
      .map(([d, n]) => `${d} ${withThousands(n)}`)
      .join(', ')}`,
  );
  for (const n of c.notes) lines.push(`  (${n})`);
  lines.push('', 'Reconciliation: tensor elements in the files against the config count');
  const header = ['module', 'config', 'checkpoint', 'difference', 'tensors'];
  const rows: string[][] = [];
  let cfg = 0;
  let ckpt = 0;
  for (const [m, v] of Object.entries(c.modules) as [
    CheckpointModule,
    NonNullable<CheckpointReport['modules'][CheckpointModule]>,
  ][]) {
    cfg += v.config;
    ckpt += v.checkpoint;
    const diff = v.checkpoint - v.config;
    rows.push([
      LABELS[m],
      withThousands(v.config),
      withThousands(v.checkpoint),
      diff === 0 ? 'ok' : signed(diff),
      withThousands(v.tensors),
    ]);
  }
  const unclassified = c.elements - ckpt;
  if (unclassified > 0) rows.push(['(no module)', '0', withThousands(unclassified), signed(unclassified), '']);
  rows.push([
    'total',
    withThousands(cfg),
    withThousands(c.elements),
    c.elements === cfg ? 'ok' : signed(c.elements - cfg),
    withThousands(c.tensors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ')}`.trimEnd();
  lines.push(line(header), ...rows.map(line));
  if (c.format === 'safetensors') {
    const d = c.bytes - c.config_bytes;
    lines.push(
      `  bytes: config ${withThousands(c.config_bytes)}, checkpoint ${withThousands(c.bytes)}${d === 0 ? ' (ok)' : ` (${signed(d)})`}`,
    );
  }
  lines.push('');
  if (c.unexplained.length > 0) {
    const shown = c.unexplained.slice(0, SHOWN_NAMES);
    const more = c.unexplained.length - shown.length;
    lines.push(
      `unexplained tensors (${withThousands(c.unexplained.length)}): ${shown.join(', ')}${more > 0 ? `, … and ${withThousands(more)} more (--json lists all)` : ''}`,
    );
  }
  if (c.missing.length > 0)
    lines.push(`missing modules (counted, no tensor): ${c.missing.map((m) => LABELS[m]).join(', ')}`);
  lines.push(
    c.reconciled
      ? 'reconciled: every tensor is explained and every module matches the config count'
      : 'NOT reconciled: see the rows that differ and the lists above',
  );
  return `${lines.join('\n')}\n`;
}
