# Sourced by test.sh and .ci/run: makes sure Debian's chromium is installed, which the browser
# tests (tests/Remarketing.Web.Tests) drive with Playwright by its path (no browser download).
ensure_chromium() {
  local chromium=${CHROMIUM:-/usr/bin/chromium}
  [ -x "$chromium" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing: installing it with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  fi
  [ -x "$chromium" ] && return 0
  echo "chromium is needed for the browser tests; install it (Debian: apt-get install -y chromium) or set CHROMIUM to its path." >&2
  return 1
}
