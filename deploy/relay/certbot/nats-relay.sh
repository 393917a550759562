#!/bin/sh
# Certbot deploy hook: /etc/letsencrypt/renewal-hooks/deploy/nats-relay.sh (chmod 755).
# Certbot keeps its keys readable by root only; nats-server runs as the user nats. After every
# renewal this copies the certificate where nats can read it and reloads nats-server (a reload
# keeps every connection). The first time, run it by hand:
#   RENEWED_LINEAGE=/etc/letsencrypt/live/relay.example.org sh /etc/letsencrypt/renewal-hooks/deploy/nats-relay.sh
set -eu
: "${RENEWED_LINEAGE:?run by certbot, or give RENEWED_LINEAGE=/etc/letsencrypt/live/<name>}"
install -d -o root -g nats -m 750 /etc/nats/tls
install -o root -g nats -m 640 "$RENEWED_LINEAGE/fullchain.pem" /etc/nats/tls/fullchain.pem
install -o root -g nats -m 640 "$RENEWED_LINEAGE/privkey.pem" /etc/nats/tls/privkey.pem
if systemctl is-active --quiet nats-server; then systemctl reload nats-server; fi
