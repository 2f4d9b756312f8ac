// The in-process CLI runner, kept under this name for the tests that import it from here; it lives in
// helpers.ts with the other shared builders.
export { cli } from './helpers.js';
