#!/usr/bin/env bash
# The fault drill (docs/faults.md): starts its own Redis (as run.sh does) and system, bids
# and watches through the gateway while it kills the Auction service, the gateway, Redis, and one
# of two Auction instances while closing; prints a table. Exit status 1 if anything was lost.
#   tests/faults.sh              the size docs/faults.md reports
#   tests/faults.sh --small      the size the test suite runs
#   tests/faults.sh --help       every option
#   tests/faults.sh restarts     the restart drill: the whole lease-end process, Redis SIGKILLed
#                                before and after an AOF rewrite and during bids (--small: as the tests run it)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source deploy/local/ensure-redis.sh
ensure_redis_server
dotnet build Remarketing.sln -c Release -nologo -v q -clp:ErrorsOnly
exec dotnet artifacts/bin/Remarketing.Faults/release/faults.dll "$@"
