# Sourced by test.sh and .ci/run: makes sure Debian's prometheus and promtool are installed, which
# the Prometheus test runs against the local system with deploy/prometheus/alerts.yml.
ensure_prometheus() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "prometheus is missing: installing it with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
  fi
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
  echo "prometheus is needed for the Prometheus test; install it (Debian: apt-get install -y prometheus)." >&2
  return 1
}
