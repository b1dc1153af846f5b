#!/bin/sh
# Writes the secrets compose.yaml reads into deploy/secrets/ (git-ignored): random passwords,
# Ed25519 signing keys, personal-data keys, and one <service>.env per service with its database
# URL and secret settings. Existing files are kept, so running it again changes nothing.
# Needs openssl and python3.
set -eu
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
umask 022  # the services run as uid 10001 and read the bind-mounted files

random() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }
write() {  # write NAME COMMAND…: the command's output into secrets/NAME unless it exists
    name=$1; shift
    [ -s "$dir/$name" ] || "$@" >"$dir/$name"
}
data_keys() { python3 -c 'import base64, json, os; print(json.dumps({"k1": base64.b64encode(os.urandom(32)).decode()}))'; }
index_key() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }

write postgres_password random
write minio_root_user echo permits-admin
write minio_root_password random
write identity_jwt_key openssl genpkey -algorithm ed25519
write documents_signing_key openssl genpkey -algorithm ed25519
for service in identity filing personnel; do
    write "${service}_data_keys" data_keys
    write "${service}_data_index_key" index_key
done
for service in identity filing personnel booking documents; do
    write "${service}_db_password" random
    prefix=$(printf '%s' "$service" | tr 'a-z' 'A-Z')
    env="$dir/$service.env"
    [ -s "$env" ] && continue
    {
        echo "${prefix}_DATABASE_URL=postgresql+asyncpg://$service:$(cat "$dir/${service}_db_password")@postgres:5432/$service"
        case $service in
            identity) echo "IDENTITY_CODE_HASH_SECRET=$(random)" ;;
            documents)
                echo "DOCUMENTS_DOWNLOAD_URL_SECRET=$(random)"
                echo "DOCUMENTS_S3_ACCESS_KEY_ID=$(cat "$dir/minio_root_user")"
                echo "DOCUMENTS_S3_SECRET_ACCESS_KEY=$(cat "$dir/minio_root_password")" ;;
        esac
    } >"$env"
done
echo "secrets in $dir"
