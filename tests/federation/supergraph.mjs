// Prints the supergraph SDL of haven alone, routed at http://haven:8080/graphql (the
// docker-compose service), for the Apollo router in docker-compose.yml:
//   node supergraph.mjs ../../schema.graphql > ../../deploy/supergraph.graphql
import { composeServices } from "@apollo/composition";
import { readFileSync } from "node:fs";
import gql from "graphql-tag";

const [file, url = "http://haven:8080/graphql"] = process.argv.slice(2);
const result = composeServices([{ name: "haven", typeDefs: gql(readFileSync(file, "utf8")), url }]);
if (result.errors && result.errors.length > 0) {
  for (const e of result.errors) console.error(e.message);
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
