#!/usr/bin/env bash
# Generate the secrets docker-compose.yml mounts: random passwords, a
# Mosquitto password file and ACL, and a throwaway CA with a broker
# certificate. Existing files are kept, so running it twice changes nothing.
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets/tls

secret() {
  local file="secrets/$1"
  if [[ ! -s "$file" ]]; then
    openssl rand -base64 32 | tr -d '\n/+=' | cut -c1-32 >"$file"
  fi
}

for name in postgres_weft_password mqtt_weft_password influx_admin_password influx_weft_token keycloak_admin_password; do
  secret "$name"
done

if [[ ! -s secrets/mosquitto.passwd ]]; then
  # mosquitto_passwd needs the broker's own tools; the image ships them.
  docker run --rm -v "$PWD/secrets:/s" eclipse-mosquitto:2.0.20 \
    mosquitto_passwd -b -c /s/mosquitto.passwd weft-harvester "$(cat secrets/mqtt_weft_password)"
fi
if [[ ! -s secrets/mosquitto.acl ]]; then
  printf 'user weft-harvester\ntopic read #\n' >secrets/mosquitto.acl
fi
if [[ ! -s secrets/tls/ca.crt ]]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=Weft compose CA" \
    -keyout secrets/tls/ca.key -out secrets/tls/ca.crt 2>/dev/null
  openssl req -newkey rsa:3072 -nodes -subj "/CN=mosquitto" -addext "subjectAltName=DNS:mosquitto" \
    -keyout secrets/tls/server.key -out secrets/tls/server.csr 2>/dev/null
  openssl x509 -req -in secrets/tls/server.csr -CA secrets/tls/ca.crt -CAkey secrets/tls/ca.key -CAcreateserial \
    -days 825 -copy_extensions copy -out secrets/tls/server.crt 2>/dev/null
fi
echo "secrets are in $(pwd)/secrets (not printed)"
