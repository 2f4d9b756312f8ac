import { createRequire } from 'node:module';

// src/ and dist/ both sit one level below the package root.
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
