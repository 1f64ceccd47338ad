# Sourced by test.sh: makes sure node and npm are on PATH (the outside-in client in tests/outside
# is grpc-js) and installs that client's packages from its lock file.
ensure_outside_client() {
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "node and npm are missing: installing them with apt-get" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
    fi
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "node and npm are needed for the outside-in test (tests/outside); install them (Debian: apt-get install -y nodejs npm)." >&2
    return 1
  fi
  if [ ! -d tests/outside/node_modules/@grpc/grpc-js ]; then
    npm ci --prefix tests/outside --no-audit --no-fund --loglevel=error >&2
  fi
}
