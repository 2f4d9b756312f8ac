// Regenerates schema/sweep-spec.schema.json from the zod schema (npm run schema).
// A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { jsonSchema } from '../src/spec/schema.js';

const file = new URL('../schema/sweep-spec.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(jsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
