# Sourced by run.sh, test.sh and .ci/run: makes sure redis-server is on PATH.
# Installs it with apt-get when missing and we are root; otherwise says how to get it.
ensure_redis_server() {
  if command -v redis-server >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "redis-server is missing: installing it with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >&2 &&
      command -v redis-server >/dev/null 2>&1 && return 0
  fi
  echo "redis-server is required and could not be installed here." >&2
  echo "Install it (Debian/Ubuntu: sudo apt-get install -y redis-server); tests can use a Docker engine instead." >&2
  return 1
}
