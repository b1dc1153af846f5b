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
import { GraphQLError, Kind } from 'graphql';

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
// Tokens per document (@escape.tech/graphql-armor-max-tokens): bounds alias flooding and huge
// selections, which the depth limit alone lets through (1000 aliases of `me` are depth 2).
const MAX_TOKENS = intEnv('GATEWAY_MAX_TOKENS', 2000);
const MAX_BODY_BYTES = intEnv('GATEWAY_MAX_BODY_BYTES', 12 * 1024 * 1024); // 12 MiB
const FORWARDED_HEADERS = ['authorization', 'traceparent', 'tracestate', 'accept-language', 'x-request-id'];

// --- OpenTelemetry: on when a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT), else off.
// The gateway's spans continue the client's `traceparent`; the plugin sends the gateway's own
// span to the subgraphs as `traceparent`, so the raw client headers are not forwarded then.
const TRACING = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT);
if (TRACING) {
  const { openTelemetrySetup } = await import('@graphql-hive/plugin-opentelemetry/setup');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  openTelemetrySetup({
    contextManager: new AsyncLocalStorageContextManager(),
    resource: { serviceName: env.OTEL_SERVICE_NAME || 'gateway' },
    // No url: the exporter reads OTEL_EXPORTER_OTLP_* and appends /v1/traces itself.
    traces: { exporter: new OTLPTraceExporter() },
  });
}
const TRACE_HEADERS = new Set(['traceparent', 'tracestate']);
const PROBES = new Set(['/readiness', '/healthcheck']);
const forwardedHeaders = TRACING ? FORWARDED_HEADERS.filter((h) => !TRACE_HEADERS.has(h)) : FORWARDED_HEADERS;

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

// --- The client's address for the subgraphs' per-address limits (identity's hourly code limit
// per address). Without it every request reaches a subgraph from the gateway's own address, so
// one client's codes used up everybody's budget. A client's own X-Forwarded-For is not believed
// (it would pick its address); behind an ingress set GATEWAY_TRUST_FORWARDED_FOR=1 and the
// address the ingress appended (the last hop) is used.
const TRUST_FORWARDED_FOR = ['1', 'true', 'yes', 'on'].includes(String(env.GATEWAY_TRUST_FORWARDED_FOR ?? '').toLowerCase());
const clientAddresses = new WeakMap();
const clientAddressPlugin = {
  onRequest({ request, serverContext }) {
    const forwarded = TRUST_FORWARDED_FOR ? request.headers.get('x-forwarded-for') : null;
    const lastHop = forwarded?.split(',').map((hop) => hop.trim()).filter(Boolean).pop();
    const peer = serverContext?.req?.socket?.remoteAddress;
    const address = lastHop || peer;
    if (address) clientAddresses.set(request, address.replace(/^::ffff:/, ''));
  },
};

// --- Production: the dev-only root fields (named dev<Something>: devMessages, devExamAnswers)
// are absent. The committed supergraph is composed from the dev subgraphs, so the gateway would
// list them and route them (the production subgraph then refuses); here they are refused at
// validation like unknown fields and removed from introspection answers.
const PRODUCTION = env.APP_ENV === 'production';
const isDevField = (name) => /^dev[A-Z]/.test(name);
const devFieldsPlugin = {
  onValidate({ addValidationRule }) {
    addValidationRule((context) => ({
      OperationDefinition(operation) {
        for (const selection of operation.selectionSet.selections) {
          if (selection.kind === Kind.FIELD && isDevField(selection.name.value)) {
            const root = operation.operation === 'mutation' ? 'Mutation' : 'Query';
            context.reportError(
              new GraphQLError(`Cannot query field "${selection.name.value}" on type "${root}".`, { nodes: [selection] }),
            );
          }
        }
      },
    }));
  },
  onResultProcess({ result, setResult }) {
    // the answer as it leaves (introspection is answered inside the gateway, past onExecute)
    if (result?.data && (result.data.__schema || result.data.__type)) {
      setResult({ ...result, data: withoutDevFields(result.data) });
    }
  },
};
function withoutDevFields(value) {
  if (Array.isArray(value)) return value.map(withoutDevFields);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    // any type's field list: only root fields are named dev<Something> (the naming rule)
    out[key] =
      key === 'fields' && Array.isArray(inner)
        ? inner.filter((field) => !isDevField(field?.name ?? '')).map(withoutDevFields)
        : withoutDevFields(inner);
  }
  return out;
}

export const gatewayConfig = defineConfig({
  supergraph: SUPERGRAPH, // overridden by a positional path on the CLI
  unifiedGraphHandler, // Rust query planner
  host: env.GATEWAY_HOST || '127.0.0.1',
  port: intEnv('GATEWAY_PORT', 4000),
  graphiql: !PRODUCTION && !isOff('GATEWAY_GRAPHIQL'), // never in production
  landingPage: false,
  logging: env.GATEWAY_LOG_LEVEL || 'info',

  transportEntries,
  multipart: true, // GraphQL multipart request spec (file uploads); without it: HTTP 415
  maxDepth: MAX_DEPTH, // @escape.tech/graphql-armor-max-depth; __schema introspection is ignored
  maxTokens: MAX_TOKENS, // @escape.tech/graphql-armor-max-tokens

  // Spans for the request, the operation and each subgraph call (OTEL_EXPORTER_OTLP_ENDPOINT).
  // Probes (/readiness, /healthcheck) are not traced: an orchestrator polls them every few
  // seconds, and the services exclude theirs too.
  ...(TRACING
    ? {
        openTelemetry: {
          traces: { spans: { http: ({ request }) => !PROBES.has(new URL(request.url).pathname) } },
        },
      }
    : {}),

  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const out = {};
      for (const name of forwardedHeaders) {
        const v = request.headers.get(name);
        if (v != null) out[name] = v;
      }
      const address = clientAddresses.get(request);
      if (address) out['x-forwarded-for'] = address;
      return out;
    },
  },

  // Subgraph GraphQL errors are passed through with their extensions (code, fields, ...);
  // the gateway only adds extensions.serviceName (and code DOWNSTREAM_SERVICE_ERROR when the
  // subgraph gave none). Unexpected errors inside the gateway are masked; never expose stacks.
  maskedErrors: { isDev: false },

  plugins: () => [bodyLimitPlugin, clientAddressPlugin, ...(PRODUCTION ? [devFieldsPlugin] : [])],
});
