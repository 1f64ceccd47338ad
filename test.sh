#!/usr/bin/env bash
# Runs every test of the solution against real Redis and real processes on loopback.
# Ends with one line: "tests: N passed, M failed" (", K skipped" if any), summed over all
# test assemblies. Exit status: 0 only if everything built and every test passed.
#   CONFIGURATION=Debug ./test.sh      build and test in Debug (default: Release)
#   ./test.sh --fast                   only the tests that start no process of the system (no services,
#                                      gateway, simulator or drill): the domain, stores and hosts in
#                                      memory, on Redis; CI runs them all
#   ./test.sh --filter Gateway         extra arguments go to 'dotnet test'
# After the whole suite, the Auction and Quote suites (the engine, the system, the lifecycles, the
# streams, the gateway) run again on a local Redis Cluster (REMARKETING_REDIS=cluster: three
# primaries, each with a replica); the last line sums both runs. Last, alone on the machine, the
# simulation on two of every process with instances killed in turn (SimulationWithInstancesKilled
# Tests: ten processes and their restarts would otherwise starve the timed browser tests running
# beside it). --fast and extra arguments skip both.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration=${CONFIGURATION:-Release}
lane=()
if [ "${1:-}" = "--fast" ]; then
  shift
  lane=(--filter "Category!=System")
fi
source deploy/local/ensure-redis.sh
if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ]; then
  ensure_redis_server || { echo "tests: 0 passed, 0 failed"; exit 1; }
fi

source deploy/local/ensure-node.sh
# Without it one test fails and says why; the others still run.
ensure_outside_client || echo "the outside-in client could not be installed: OutsideClientTests will fail" >&2
source deploy/local/ensure-chromium.sh
ensure_chromium || echo "no chromium: the browser tests (Remarketing.Web.Tests) will fail" >&2
source deploy/local/ensure-prometheus.sh
ensure_prometheus || echo "no prometheus: PrometheusTests will fail" >&2
source deploy/local/ensure-kubectl.sh
ensure_kubectl || echo "no kubectl: KubernetesManifestTests will fail" >&2

if ! dotnet build Remarketing.sln -c "$configuration" -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"
  echo "tests: 0 passed, 0 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
restart_table=artifacts/restart-drill.md   # written by RestartDrillTests
rm -f "$restart_table"
whole=$([ ${#lane[@]} -eq 0 ] && [ $# -eq 0 ] && echo 1 || echo 0)
alone="FullyQualifiedName~SimulationWithInstancesKilled"
[ "$whole" = 1 ] && lane=(--filter "FullyQualifiedName!~SimulationWithInstancesKilled")
dotnet test Remarketing.sln -c "$configuration" --no-build -nologo "${lane[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$whole" = 1 ]; then
  echo
  echo "The Auction and Quote suites again, on a Redis Cluster:"
  for suite in Auction Quote; do
    # The drills that kill and restart one Redis (RestartDrill, FaultDrill) ran above; not again here.
    REMARKETING_REDIS=cluster dotnet test "tests/Remarketing.$suite.Tests" -c "$configuration" --no-build -nologo \
      --filter "FullyQualifiedName!~RestartDrill&FullyQualifiedName!~FaultDrill" 2>&1 | tee -a "$log" &
  done
  for job in $(jobs -p); do wait "$job" || status=1; done
  echo
  echo "The simulation on two of every process, instances killed in turn, alone:"
  dotnet test tests/Remarketing.Simulator.Tests -c "$configuration" --no-build -nologo --filter "$alone" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi
[ -f "$restart_table" ] && { echo; cat "$restart_table"; echo; }

# VSTest prints one summary line per test assembly:
#   Passed!  - Failed:     0, Passed:    40, Skipped:     0, Total:    40, Duration: 2 s - X.Tests.dll (net10.0)
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | awk '
  { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1))
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
  END { print p + 0, f + 0, s + 0 }')

line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "the test run failed without a failing test (a test host aborted or crashed): see above" >&2
fi
echo "$line"
if [ "$status" -eq 0 ] && [ $((passed + failed)) -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
