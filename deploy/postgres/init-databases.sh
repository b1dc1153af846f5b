#!/bin/sh
# Runs once, when the PostgreSQL volume is initialised (docker-entrypoint-initdb.d): one role and
# one database per service, each role owning only its database. Passwords come from the compose
# secrets /run/secrets/<service>_db_password, never from this file.
set -eu
for service in identity filing personnel booking documents; do
    password=$(cat "/run/secrets/${service}_db_password")
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v service="$service" -v password="$password" <<'SQL'
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
done
