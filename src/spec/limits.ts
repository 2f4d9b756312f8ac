// The default grid-size limit, apart from load.ts so the command line can print it in --help without
// loading the spec reader (YAML and the zod schema).
export const DEFAULT_MAX_POINTS = 1e9;
