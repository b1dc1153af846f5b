// Hive Gateway configuration (plain ESM, no TS build needed).
// Loaded automatically by `hive-gateway supergraph` when run with cwd = gateway/
// (or pass `-c gateway/gateway.config.mjs`). See README.md for the env vars.

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@graphql-hive/gateway';
// Rust query planner (Hive Router runtime). Imported here (instead of relying on the
// --hive-router-runtime CLI flag, which silently falls back to the JS planner when the
// package cannot be loaded) so a missing package is a hard startup error.
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { GraphQLError } from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;

function intEnv(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}
const isOff = (name) => ['0', 'false', 'no', 'off'].includes(String(env[name] ?? '').toLowerCase());

const SUPERGRAPH = join(here, 'supergraph.graphql');
const MAX_DEPTH = intEnv('GATEWAY_MAX_DEPTH', 12);
const MAX_BODY_BYTES = intEnv('GATEWAY_MAX_BODY_BYTES', 12 * 1024 * 1024); // 12 MiB
const FORWARDED_HEADERS = ['authorization', 'traceparent', 'tracestate', 'accept-language', 'x-request-id'];

// --- Per-subgraph URL overrides: GATEWAY_SUBGRAPH_<NAME>_URL=http://host:port/graphql -------
// <NAME> is the subgraph name (gateway/subgraphs/<name>.graphql) upper-cased.
function subgraphNamesInSupergraph() {
  if (!existsSync(SUPERGRAPH)) return null;
  const sdl = readFileSync(SUPERGRAPH, 'utf8');
  return new Set([...sdl.matchAll(/@join__graph\(name:\s*"([^"]+)"/g)].map((m) => m[1]));
}
const knownSubgraphs = subgraphNamesInSupergraph();
const transportEntries = {};
for (const [key, value] of Object.entries(env)) {
  const m = /^GATEWAY_SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
  if (!m || !value) continue;
  const name = m[1].toLowerCase();
  if (knownSubgraphs && !knownSubgraphs.has(name)) {
    console.warn(`[gateway.config] ${key}: no subgraph "${name}" in supergraph.graphql (known: ${[...knownSubgraphs].join(', ')})`);
  }
  transportEntries[name] = { location: value };
}
// Outbound (gateway -> subgraph) deduplication of identical in-flight query requests is on by
// default in the HTTP transport; GATEWAY_DEDUPE=0 turns it off (benchmarks).
if (isOff('GATEWAY_DEDUPE')) {
  transportEntries['*.http'] = { options: { deduplicateInflightRequests: false } };
}

// --- Request body size limit (graphql-yoga's built-in 25 MB limit is not configurable through
// the gateway config). Checks Content-Length up front and counts bytes of chunked bodies. ---
const tooLarge = () =>
  new GraphQLError(`Request body too large (limit ${MAX_BODY_BYTES} bytes)`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });
const bodyLimitPlugin = {
  onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
    const len = request.headers.get('content-length');
    if (len != null && Number(len) > MAX_BODY_BYTES) throw tooLarge();
    if (len != null || !request.body || !requestParser) return;
    setRequestParser((req) => {
      let seen = 0;
      // same stream-class choice as graphql-yoga's own limiter (native vs ponyfill streams)
      const TS = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
      const limited = req.body.pipeThrough(
        new TS({
          transform(chunk, controller) {
            seen += chunk.byteLength;
            if (seen > MAX_BODY_BYTES) controller.error(tooLarge());
            else controller.enqueue(chunk);
          },
        }),
      );
      return requestParser(
        new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body: limited, duplex: 'half' }),
      );
    });
  },
};

export const gatewayConfig = defineConfig({
  supergraph: SUPERGRAPH, // overridden by a positional path on the CLI
  unifiedGraphHandler, // Rust query planner
  host: env.GATEWAY_HOST || '127.0.0.1',
  port: intEnv('GATEWAY_PORT', 4000),
  graphiql: !isOff('GATEWAY_GRAPHIQL'),
  landingPage: false,
  logging: env.GATEWAY_LOG_LEVEL || 'info',

  transportEntries,
  multipart: true, // GraphQL multipart request spec (file uploads); without it: HTTP 415
  maxDepth: MAX_DEPTH, // @escape.tech/graphql-armor-max-depth; __schema introspection is ignored

  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const out = {};
      for (const name of FORWARDED_HEADERS) {
        const v = request.headers.get(name);
        if (v != null) out[name] = v;
      }
      return out;
    },
  },

  // Subgraph GraphQL errors are passed through with their extensions (code, fields, ...);
  // the gateway only adds extensions.serviceName (and code DOWNSTREAM_SERVICE_ERROR when the
  // subgraph gave none). Unexpected errors inside the gateway are masked; never expose stacks.
  maskedErrors: { isDev: false },

  plugins: () => [bodyLimitPlugin],
});
