# syntax=docker/dockerfile:1.7
# Gateway image (Hive Gateway with the committed supergraph). Build from the repository root:
#   docker build -f deploy/gateway.Dockerfile -t permits/gateway:TAG .
# Settings: GATEWAY_SUBGRAPH_<NAME>_URL per subgraph, GATEWAY_PORT (4000), GATEWAY_MAX_DEPTH,
# GATEWAY_MAX_BODY_BYTES, GATEWAY_GRAPHIQL (off here); see gateway/gateway.config.mjs.
ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# --- build: production dependencies only, exactly as locked --------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY gateway/package.json gateway/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- runtime: node_modules, the config and the supergraph; the image's non-root `node` user ------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=4000 \
    GATEWAY_GRAPHIQL=0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY gateway/package.json gateway/gateway.config.mjs gateway/supergraph.graphql ./
# `node` is uid 1000 in the official image; numeric so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 4000
CMD ["node", "node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql"]
# Hive Gateway serves /healthcheck (alive) and /readiness (supergraph loaded) itself.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthcheck').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
