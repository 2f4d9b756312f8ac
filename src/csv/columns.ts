// results.csv. Named designs carry user-written names, so their rows go through csv-stringify
// (quoting, formula escaping). Grid rows hold only numbers, booleans and constraint names, which never
// need quoting; the workers join them directly (rows.ts) because that is several times faster, and a
// test checks that every such row is byte-identical to csv-stringify's.
import { stringify } from 'csv-stringify/sync';
import { DESIGN_COLUMNS } from '../metrics/registry.js';

export const CSV_COLUMNS = [
  'design',
  'experts',
  'top_k',
  'expert_params',
  'shared_params',
  ...DESIGN_COLUMNS,
  'feasible',
  'pareto',
  'violations',
] as const;

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

export { CSV_MODES, type CsvMode } from './modes.js';

/** Rows a spreadsheet can open, header included (Excel and LibreOffice Calc stop at 2^20). */
export const SPREADSHEET_ROW_LIMIT = 1_048_576;

export type CsvCell = string | number | boolean;

/** One row through csv-stringify: used for named designs, and by the tests as the reference. */
export function stringifyRow(cells: readonly CsvCell[]): string {
  return stringify([cells], {
    escape_formulas: true,
    cast: { boolean: (b) => (b ? 'true' : 'false'), number: (n) => String(n) },
  });
}
