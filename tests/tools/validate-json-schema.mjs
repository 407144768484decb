// Validates JSON documents against a JSON Schema (draft 2020-12), in ajv's strict mode so that a
// mistake in the schema itself fails too.
//
//   node validate-json-schema.mjs < {"schema": {...}, "documents": [...]}
//
// Output on stdout: {"results": [{"valid", "errors"}]}, one per document. Exit code 0 when every
// document is valid, 1 when one is not, 2 when the input or the schema cannot be read.

import Ajv2020 from "ajv/dist/2020.js";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}

let validate;
let documents;
try {
  const parsed = JSON.parse(input);
  documents = parsed.documents;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  validate = ajv.compile(parsed.schema);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const results = documents.map((document) => {
  const valid = validate(document);
  return {
    valid,
    errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`.trim()),
  };
});
process.stdout.write(JSON.stringify({ results }));
process.exit(results.every((r) => r.valid) ? 0 : 1);
