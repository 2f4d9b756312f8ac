// The report's predicted-quality section (specs with `training:`): a quality-vs-cost view of the
// front, the named designs and the compared presets, with intervals and domain badges. The rows
// (with their intervals) are computed beforehand, in report/data.ts.
import type { TopLevelSpec } from 'vega-lite';
import { QUALITATIVE_FACTOR } from '../../quality/fitted-range.js';
import { indistinguishable } from '../../quality/uncertainty.js';
import { WHAT_LOSS_IS_NOT } from '../../quality/notes.js';
import type { JointLaw } from '../../quality/laws.js';
import type { QualityValues } from '../../sweep/types.js';
import { formatCount } from '../../formats/units.js';

export interface QualityRow {
  label: string;
  kind: 'front' | 'named design' | 'preset';
  active: number;
  total: number;
  delta: number;
  /** Predicted loss of the design and its interval (nats/token on the law's data). */
  loss: number;
  lo: number;
  hi: number;
  dense: number | null;
  /** Dense reference at the same N_act and D: Epoch's refit of Chinchilla and Hoffmann et al.'s fit. */
  epoch: number;
  hoffmann: number;
  domain: string;
  status: 'in range' | 'extrapolated' | 'qualitative';
}

export function qualityStatus(q: QualityValues): QualityRow['status'] {
  return q.quality_domain_factor <= 1
    ? 'in range'
    : q.quality_domain_factor <= QUALITATIVE_FACTOR
      ? 'extrapolated'
      : 'qualitative';
}

export function qualitySpec(rows: QualityRow[]): TopLevelSpec | undefined {
  if (rows.length === 0) return undefined;
  const values = rows.map((r) => ({ ...r, active: r.active / 1e9 }));
  const x = {
    field: 'active',
    type: 'quantitative' as const,
    title: 'active parameters per token, billions (cost)',
    scale: { type: 'log' as const, nice: false },
  };
  const y = {
    field: 'loss',
    type: 'quantitative' as const,
    title: 'predicted training loss, nats/token (FineWeb-Edu, GPT-2 tokenizer)',
    scale: { zero: false },
  };
  const color = {
    field: 'kind',
    type: 'nominal' as const,
    scale: { domain: ['front', 'named design', 'preset'], range: ['#f58518', '#111111', '#8e44ad'] },
    legend: { title: null, orient: 'bottom' as const },
  };
  const opacity = {
    field: 'status',
    type: 'ordinal' as const,
    sort: ['in range', 'extrapolated', 'qualitative'],
    scale: { domain: ['in range', 'extrapolated', 'qualitative'], range: [1, 0.7, 0.25] },
    legend: { title: 'scaling-law domain', orient: 'bottom' as const },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 860,
    height: 340,
    title: {
      text: 'Predicted quality vs cost',
      subtitle:
        'joint MoE scaling law; bars: interval of the predicted loss; faded marks lie outside the law\u2019s fitted range (qualitative past 10x)',
      anchor: 'start',
    },
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 1.2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color, opacity },
      },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y, color, opacity } },
      {
        transform: [{ filter: "datum.kind !== 'front'" }],
        mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 },
        encoding: { x, y, text: { field: 'label' }, color, opacity },
      },
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** The rows for the template, with the indistinguishability verdict against the best-predicted one. */
export function qualityTable(rows: QualityRow[]) {
  const best = rows.reduce<QualityRow | undefined>((b, r) => (!b || r.loss < b.loss ? r : b), undefined);
  return rows.map((r) => ({
    label: r.label,
    kind: r.kind,
    active: formatCount(r.active),
    total: formatCount(r.total),
    delta: r.delta.toFixed(4),
    loss: `${r.loss.toFixed(3)} (${r.lo.toFixed(2)} … ${r.hi.toFixed(2)})`,
    dense: r.dense === null ? '–' : formatCount(r.dense),
    denseRatio: r.dense === null ? '' : `${(r.dense / r.active).toFixed(2)}×`,
    chinchilla: `${r.epoch.toFixed(3)} (${r.hoffmann.toFixed(3)})`,
    domain: r.domain,
    domainClass: r.status === 'in range' ? 'ok' : r.status === 'extrapolated' ? 'front' : 'bad',
    tied: best && r !== best && indistinguishable(r, best) ? 'yes' : r === best ? 'best' : 'no',
  }));
}

export function qualityNotes(law: Pick<JointLaw, 'arxiv' | 'loss'>) {
  return {
    what: WHAT_LOSS_IS_NOT,
    law: `the joint MoE scaling law of Ludziejewski et al. 2025 (arXiv:${law.arxiv}); loss in ${law.loss.units} on ${law.loss.dataset}, ${law.loss.tokenizer} tokenizer`,
  };
}
