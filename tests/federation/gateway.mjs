// Runs Apollo's gateway over a running haven and the test subgraph, and sends queries that
// cross from haven into the test subgraph and back. Exits non-zero when an answer is wrong.
//   node gateway.mjs http://127.0.0.1:PORT/graphql
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import assert from "node:assert/strict";
import { employees, inhabitants, startTestSubgraph } from "./test-subgraph.mjs";

const havenUrl = process.argv[2];
if (!havenUrl) {
  console.error("usage: node gateway.mjs HAVEN_GRAPHQL_URL");
  process.exit(2);
}

const municipal = await startTestSubgraph();
const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: "haven", url: havenUrl },
      { name: "municipal", url: municipal.url },
    ],
  }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });

async function ask(query) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  assert.ok(body.data, `${query}\n${JSON.stringify(body)}`);
  assert.equal(body.errors, undefined, `${query}\n${JSON.stringify(body.errors)}`);
  return body.data;
}

let exitCode = 0;
try {
  // haven → municipal: a haven root field, extended with the other subgraph's field.
  const a = await ask(`{ city(cbsCode: "GM0363") { name status inhabitants } }`);
  assert.deepEqual(a.city, { name: "Amsterdam", status: "ACTIVE", inhabitants: inhabitants("GM0363") });

  // municipal → haven: the other subgraph's root field, resolved into haven's entities.
  const b = await ask(`{ municipalities { cbsCode inhabitants name network { slug } } }`);
  assert.equal(b.municipalities.length, 2);
  assert.deepEqual(b.municipalities[0], {
    cbsCode: "GM0363", inhabitants: inhabitants("GM0363"), name: "Amsterdam", network: { slug: "samen-hier" },
  });
  assert.equal(b.municipalities[1].name, "Almere");

  // The same both ways for corporate sponsors by KvK number.
  const c = await ask(`{ corporateSponsor(kvkNumber: "90000000") { name employees } }`);
  assert.equal(c.corporateSponsor.employees, employees("90000000"));
  const d = await ask(`{ companies { kvkNumber employees name } }`);
  assert.equal(d.companies.length, 2);
  assert.equal(d.companies[0].name, c.corporateSponsor.name);
  console.log("gateway: 4 queries across haven and the test subgraph answered correctly");
} catch (e) {
  console.error(e.message);
  exitCode = 1;
} finally {
  await server.stop();
  await municipal.stop();
}
process.exit(exitCode);
