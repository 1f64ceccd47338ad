#!/bin/bash
# Container health probe without curl: GET /healthz on the given local HTTP/1.1 port. Degraded
# passes: the process serves, and its /healthz says what needs a person.
#   healthcheck 5201
exec 3<>"/dev/tcp/127.0.0.1/${1:?port}" || exit 1
printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
timeout 3 cat <&3 | grep -qE '"status":"(Healthy|Degraded)"'
