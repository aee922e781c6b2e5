// `npm run schema`: writes scenario.schema.json at the repo root from the TypeBox schema.

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderScenarioJsonSchema, SCHEMA_FILE_NAME } from "./json-schema.ts";

const target = fileURLToPath(new URL(`../../${SCHEMA_FILE_NAME}`, import.meta.url));
writeFileSync(target, renderScenarioJsonSchema());
process.stdout.write(`wrote ${target}\n`);
