# Gateway image. Build from the repository root: docker build -f deploy/gateway.Dockerfile -t permits/gateway .
FROM node:20-slim
WORKDIR /app
COPY gateway/package.json gateway/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY gateway/gateway.config.mjs gateway/supergraph.graphql ./
ENV GATEWAY_HOST=0.0.0.0 GATEWAY_GRAPHIQL=0
USER node
EXPOSE 4000
CMD ["node", "node_modules/.bin/hive-gateway", "supergraph", "supergraph.graphql"]
