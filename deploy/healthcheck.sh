#!/bin/bash
# Health probe without curl: GET /healthz on the given local HTTP/1.1 port. Exit 0 when the
# process serves (Healthy, or Degraded: it serves, and its /healthz says what needs a person).
# With --reasons it also prints, one per line, what each Degraded or Unhealthy check says.
# The container probe and ./run.sh both use it.
#   healthcheck 5201
#   healthcheck 5080 --reasons
body=$( (exec 3<>"/dev/tcp/127.0.0.1/${1:?port}" &&
  printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
  timeout 3 cat <&3) 2>/dev/null)
# HTTP/1.0: the reply comes whole, never chunked (a chunk's size line could fall inside a word).
if [ "${2:-}" = --reasons ]; then
  grep -oE '"status":"(Degraded|Unhealthy)","description":"[^"]*"' <<<"$body" | sed 's/^.*"description":"//; s/"$//'
fi
grep -qE '"status":"(Healthy|Degraded)"' <<<"$body"
