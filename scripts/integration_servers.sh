#!/usr/bin/env bash
# Integration tests against real servers (issue #16): a throwaway Dovecot IMAP server with a
# self-signed CA, the machine's Redis, and an S3 emulator (moto_server). Everything listens on
# 127.0.0.1 only and is stopped on exit; every wait is bounded.
#
#   scripts/integration_servers.sh            install/start what is missing, run `pytest -m integration`
#   scripts/integration_servers.sh -k imap    extra pytest arguments are passed through
#
# Needs root for `apt-get install dovecot-imapd` when Dovecot is missing (CI machines are root).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
IMAPS_PORT=${HUIFU_TEST_IMAPS_PORT:-10993}
IMAP_PORT=${HUIFU_TEST_IMAP_STARTTLS_PORT:-10143}
S3_PORT=${HUIFU_TEST_S3_PORT:-15000}
REDIS_URL=${HUIFU_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

WORK=$(mktemp -d /tmp/huifu-integration.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  if [ -f "$WORK/dovecot.conf" ]; then doveadm -c "$WORK/dovecot.conf" stop 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

port_open() { "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$1" 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 30); do port_open "$1" && return 0; sleep 0.5; done
  echo "FAIL: nothing listens on 127.0.0.1:$1 ($2)" >&2
  return 1
}

# --- Redis (on the machine; start it if it is not running) ------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis is not running: starting it"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "FAIL: Redis cannot be reached at 127.0.0.1:6379" >&2; exit 1; }

# --- Dovecot: a test mailbox behind a certificate signed by a throwaway CA --------------------
if ! command -v dovecot >/dev/null 2>&1; then
  echo "Installing Dovecot (Debian dovecot-imapd)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dovecot-imapd >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dovecot-imapd >/dev/null; }
fi
chmod 755 "$WORK"  # Dovecot's auth process (user dovecot) reads the passwd file
mkdir -p "$WORK/run" "$WORK/state" "$WORK/mail"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Huifu test CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
printf "subjectAltName=IP:127.0.0.1,DNS:localhost\n" >"$WORK/san.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/san.ext" -out "$WORK/server.crt" 2>/dev/null
IMAP_USER=msc
IMAP_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
MAIL_UID=$(id -u dovecot 2>/dev/null || id -u)
MAIL_GID=$(id -g dovecot 2>/dev/null || id -g)
chown "$MAIL_UID:$MAIL_GID" "$WORK/mail"
echo "$IMAP_USER:{PLAIN}$IMAP_PASSWORD:::::" >"$WORK/passwd"
cat >"$WORK/dovecot.conf" <<EOF
base_dir = $WORK/run
state_dir = $WORK/state
log_path = $WORK/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$WORK/server.crt
ssl_key = <$WORK/server.key
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = $WORK/passwd
}
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$WORK/mail/%u
}
mail_location = maildir:~/Maildir
first_valid_uid = 1
first_valid_gid = 1
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
EOF
dovecot -c "$WORK/dovecot.conf"
wait_port "$IMAPS_PORT" "Dovecot IMAPS"
wait_port "$IMAP_PORT" "Dovecot IMAP (STARTTLS)"

# --- S3 emulator ----------------------------------------------------------------------------
.venv/bin/moto_server -H 127.0.0.1 -p "$S3_PORT" >"$WORK/moto.log" 2>&1 &
PIDS+=($!)
wait_port "$S3_PORT" "moto_server (S3)"

export HUIFU_INTEGRATION=1
export HUIFU_TEST_IMAP_HOST=127.0.0.1 HUIFU_TEST_IMAPS_PORT="$IMAPS_PORT" HUIFU_TEST_IMAP_STARTTLS_PORT="$IMAP_PORT"
export HUIFU_TEST_IMAP_USER="$IMAP_USER" HUIFU_TEST_IMAP_PASSWORD="$IMAP_PASSWORD" HUIFU_TEST_IMAP_CA_FILE="$WORK/ca.crt"
export HUIFU_TEST_REDIS_URL="$REDIS_URL"
export HUIFU_TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
echo "=== integration tests (Dovecot 127.0.0.1:$IMAPS_PORT/$IMAP_PORT, Redis $REDIS_URL, S3 127.0.0.1:$S3_PORT) ==="
rc=0
timeout 900 "$PY" -m pytest -p no:cacheprovider -m integration -o addopts="-ra --strict-markers" "$@" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "--- dovecot.log (last lines) ---"; tail -n 20 "$WORK/dovecot.log" 2>/dev/null || true
  echo "--- moto.log (last lines) ---"; tail -n 20 "$WORK/moto.log" 2>/dev/null || true
fi
exit "$rc"
