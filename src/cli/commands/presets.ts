// `moe-sweep presets`: the published models the tool knows, with their sources.
import type { Catalog } from '../../catalog/index.js';
import { presetActive, presetQuantity, presetTotalMain } from '../../catalog/presets.js';
import { formatCount } from '../../formats/units.js';
import { table, type Io } from '../io.js';

const SHORT: Record<string, string> = {
  active: 'all',
  active_excl_input_embedding: 'no input emb.',
  active_non_embedding: 'no embeddings',
};

export function presetsCommand(o: { json?: boolean }, io: Io, catalog: Catalog): number {
  const presets = catalog.presets;
  if (o.json) {
    const list = presets.map((p) => ({
      id: p.id,
      name: p.name,
      total_params: presetTotalMain(p),
      active_params: presetActive(p),
      source: p.published.source,
    }));
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const rows = presets.map((p) => {
    const convention = p.published.active_convention ?? 'active';
    const vendorActive = presetQuantity(p, convention);
    const published =
      p.published.active === undefined || p.published.active === null ? '–' : formatCount(p.published.active);
    return [
      p.id,
      p.name,
      `${p.experts}×top-${p.top_k}`,
      formatCount(presetTotalMain(p)),
      formatCount(presetActive(p)),
      `${formatCount(p.published.total)} / ${published}`,
      `${formatCount(vendorActive)} (${SHORT[convention] ?? convention})`,
    ];
  });
  io.stdout(
    `${table(['id', 'name', 'experts', 'total', 'active', 'published total / active', 'active as the vendor counts'], rows, 3)}

total and active are this tool's (active canonical: both embedding matrices count); the vendor's active
may leave embeddings out, shown last. Sources: \`moe-sweep presets --json\`, or presets/<id>.yaml.
\`moe-sweep calc --preset ID\` shows one in full.
`,
  );
  return 0;
}
