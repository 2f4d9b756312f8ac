// `moe-sweep presets`: the published models the tool knows, with their sources.
import { loadPresets } from '../presets.js';
import { formatCount } from '../units.js';
import { table, type Io } from './io.js';

export function presetsCommand(o: { json?: boolean }, io: Io): number {
  const presets = loadPresets().map((p) => ({
    id: p.id,
    name: p.name,
    total_params: p.shared_params + p.experts * p.expert_params,
    active_params: p.shared_params + p.top_k * p.expert_params,
    experts: p.experts,
    top_k: p.top_k,
    source: p.published.source,
  }));
  if (o.json) {
    io.stdout(`${JSON.stringify(presets.map(({ id, name, total_params, active_params, source }) => ({ id, name, total_params, active_params, source })), null, 2)}\n`);
    return 0;
  }
  io.stdout(
    `${table(
      ['id', 'name', 'experts', 'top_k', 'total', 'active', 'source'],
      presets.map((p) => [p.id, p.name, String(p.experts), String(p.top_k), formatCount(p.total_params), formatCount(p.active_params), p.source.length > 70 ? `${p.source.slice(0, 67)}...` : p.source]),
      2,
    )}\n\nactive is canonical (both embedding matrices included); \`moe-sweep calc --preset ID\` shows one in full.\n`,
  );
  return 0;
}
