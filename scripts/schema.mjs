// Writes schema/b24-events.schema.json from the manifest's zod schema (run after `npm run build`).
// A test fails when the committed file and the zod schema drift apart.
import { writeFileSync } from 'node:fs';

const { manifestJsonSchema } = await import(new URL('../dist/src/manifest/schema.js', import.meta.url).href);
const target = new URL('../schema/b24-events.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
