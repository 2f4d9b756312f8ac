// Which rows results.csv holds (--csv); apart from ./columns.ts so the CLI's option list does not load
// the CSV writer.
export type CsvMode = 'all' | 'feasible' | 'pareto';
export const CSV_MODES: readonly CsvMode[] = ['all', 'feasible', 'pareto'];
