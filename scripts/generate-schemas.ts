/** `npm run schemas`: writes the JSON Schema of every public event body into events/schemas/. */
import { mkdirSync, writeFileSync } from "node:fs";
import { jsonSchemas } from "#events/json-schema.ts";

mkdirSync("events/schemas", { recursive: true });
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(`events/schemas/${file}`, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote events/schemas/${file}`);
}
