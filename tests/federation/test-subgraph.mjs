// A small second subgraph for the federation checks: municipal and company data that extend
// haven's City (by CBS code) and CorporateSponsor (by KvK number). Figures are made up.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import gql from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type City @key(fields: "cbsCode") {
    cbsCode: String!
    inhabitants: Int!
  }

  type CorporateSponsor @key(fields: "kvkNumber") {
    kvkNumber: String!
    employees: Int!
  }

  type Query {
    municipalities: [City!]!
    companies: [CorporateSponsor!]!
  }
`;

// Deterministic made-up figures derived from the key.
const inhabitants = (code) => 10000 + Number(code.slice(2)) * 37;
const employees = (kvk) => 5 + (Number(kvk) % 200);

const resolvers = {
  Query: {
    municipalities: () => ["GM0363", "GM0034"].map((cbsCode) => ({ cbsCode })),
    companies: () => ["90000000", "90007919"].map((kvkNumber) => ({ kvkNumber })),
  },
  City: {
    __resolveReference: ({ cbsCode }) => ({ cbsCode }),
    inhabitants: ({ cbsCode }) => inhabitants(cbsCode),
  },
  CorporateSponsor: {
    __resolveReference: ({ kvkNumber }) => ({ kvkNumber }),
    employees: ({ kvkNumber }) => employees(kvkNumber),
  },
};

export { inhabitants, employees };

/** Starts the subgraph on a free loopback port; returns its URL and a stop function. */
export async function startTestSubgraph() {
  const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers }]) });
  const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });
  return { url, stop: () => server.stop() };
}
