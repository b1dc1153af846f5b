#!/bin/sh
# Runs `<service> <command>` with the container's defaults for the service's own settings
# (`<SERVICE>_HTTP_PORT`, …): listen on all interfaces, HTTP 8000, gRPC 50050, migrations in
# /app/service. Anything already set in the environment wins.
set -eu
prefix=$(printf '%s' "$SERVICE" | tr 'a-z' 'A-Z')
for setting in SERVICE_ROOT=/app/service HTTP_HOST=0.0.0.0 GRPC_HOST=0.0.0.0 \
    HTTP_PORT=8000 GRPC_PORT=50050; do
    name="${prefix}_${setting%%=*}"
    if [ -z "$(printenv "$name" || true)" ]; then
        export "$name=${setting#*=}"
    fi
done
exec "$SERVICE" "$@"
