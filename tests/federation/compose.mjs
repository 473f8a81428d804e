// Composes haven's schema.graphql (and the --router-auth variant, when given) with the test
// subgraph using Apollo's own composition library. Exits non-zero on any composition error.
//   node compose.mjs ../../schema.graphql [more.graphql …]
import { composeServices } from "@apollo/composition";
import { readFileSync } from "node:fs";
import gql from "graphql-tag";
import { typeDefs as municipal } from "./test-subgraph.mjs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node compose.mjs SCHEMA.graphql …");
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const result = composeServices([
    { name: "haven", typeDefs: gql(readFileSync(file, "utf8")), url: "http://haven.invalid/graphql" },
    { name: "municipal", typeDefs: municipal, url: "http://municipal.invalid/graphql" },
  ]);
  if (result.errors && result.errors.length > 0) {
    failed = true;
    console.error(`${file}: ${result.errors.length} composition error(s)`);
    for (const e of result.errors) console.error(`  ${e.extensions?.code ?? ""} ${e.message}`);
  } else {
    const types = Object.keys(result.schema.toAPISchema().toGraphQLJSSchema().getTypeMap()).length;
    console.log(`${file}: composed with the test subgraph (${types} types in the API schema)`);
  }
}
process.exit(failed ? 1 : 0);
