/**
 * `npm run openapi`: writes the public API's OpenAPI document, generated from the zod schemas, to
 * functions/http/api-docs/openapi.json, which the public app serves. Run it after changing a public schema;
 * `npm test` fails while the file is out of date.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "#functions/http/api-docs/openapi.ts";

const file = fileURLToPath(new URL("../functions/http/api-docs/openapi.json", import.meta.url));
writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
