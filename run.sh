#!/usr/bin/env bash
# Starts the whole Remarketing system on this machine: a local Redis (append-only file under
# .data/), the Quote, Inspection, Auction and Transport services, and the gateway, all built in
# Release, and the simulation with its live view. Ctrl-C ends the simulation (its summary and
# chart go to .data/simulation/) and stops every process it started.
#
#   ./run.sh              the system and the simulation (clock 2880x: a simulated day in 30 s)
#   ./run.sh --no-sim     the system alone (clock 1x unless --speed)
#   ./run.sh --speed N    the shared clock runs N times faster than real time (up to 1000000);
#                         SetClock changes it while the system runs
#   ./run.sh --redis-cluster   Redis Cluster: three primaries and a replica of each, on REDIS_PORT
#                         (default 7001) and the five ports after it (buses 10000 above), data in
#                         .data/redis-cluster/<port>/; every node configured as the one Redis is
#   ./run.sh --instances N   N processes (1-4) of every service and of the gateway: instance i
#                         listens 10(i-1) ports above the first's (quote 5101, 5111, ...; health
#                         5201, 5211, ...), gateway i on 5000+i-1, 5080+i-1, 5090+i-1; each
#                         gateway spreads calls over every instance and health-checks them
#   ./run.sh --seed S --return-rate R --dealers D --duration 6d --returns-for 3d --step 1h --settle 1.5s --plain
#                         passed to the simulation (see: dotnet artifacts/bin/Remarketing.Simulator/release/simulator.dll --help);
#                         --step: the simulation pauses the clock and moves it on a step at a time (the same seed, the same summary)
#   ./run.sh watch        beside a running system: every live listing, refreshing in place
#   ./run.sh doctor       beside a running system: Redis' persistence, hand-offs and every service's
#                         invariants, as Redis' admin (exit code 1 when anything needs a person)
#
# Environment: REDIS_PORT (default: 6379, or the next free port), REMARKETING_DATA (default .data).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

simulator=artifacts/bin/Remarketing.Simulator/release/simulator.dll
if [ "${1:-}" = watch ]; then
  [ -f "$simulator" ] || dotnet build services/Simulator/Remarketing.Simulator.csproj -c Release -nologo -v q -clp:ErrorsOnly
  exec dotnet "$simulator" market "${@:2}"
fi
if [ "${1:-}" = doctor ]; then
  data=${REMARKETING_DATA:-.data}
  [ -f "$data/redis/port" ] || { echo "no system has run here ($data/redis/port is missing): start one with ./run.sh" >&2; exit 2; }
  tool=artifacts/bin/Remarketing.Keys/release/Remarketing.Keys.dll
  [ -f "$tool" ] || dotnet build deploy/Remarketing.Keys/Remarketing.Keys.csproj -c Release -nologo -v q -clp:ErrorsOnly
  exec dotnet "$tool" doctor "$data/keys" --redis "127.0.0.1:$(cat "$data/redis/port")"
fi

simulate=1
speed=
instances=1
redis_cluster=0
sim_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-sim) simulate=0 ;;
    --seed|--return-rate|--dealers|--duration|--returns-for|--step|--settle)
      [ $# -ge 2 ] || { echo "$1 needs a value (see ./run.sh --help)" >&2; exit 2; }
      sim_args+=("$1" "$2"); shift ;;
    --plain) sim_args+=("$1") ;;
    --redis-cluster) redis_cluster=1 ;;
    --instances)
      instances=${2:-}
      [[ "$instances" =~ ^[1-4]$ ]] || { echo "--instances needs a number from 1 to 4, e.g. --instances 2" >&2; exit 2; }
      shift ;;
    --speed)
      speed=${2:-}
      if ! [[ "$speed" =~ ^[0-9]+([.][0-9]+)?$ ]] || [[ "$speed" =~ ^0+([.]0+)?$ ]] \
        || ! awk -v speed="$speed" 'BEGIN { exit !(speed <= 1000000) }'; then
        echo "--speed needs a number above 0 and at most 1000000, e.g. --speed 1440 (a day in a minute)" >&2; exit 2
      fi
      shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see ./run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
# The simulation's default speed: the first listings open within a minute and close within a few.
[ -n "$speed" ] || speed=$([ "$simulate" = 1 ] && echo 2880 || echo 1)
if [ "$simulate" = 0 ] && [ ${#sim_args[@]} -gt 0 ]; then
  echo "${sim_args[0]} is an option of the simulation, which --no-sim leaves out" >&2; exit 2
fi

data=${REMARKETING_DATA:-.data}
mkdir -p "$data/redis" "$data/logs"
source deploy/local/ensure-redis.sh
ensure_redis_server

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

gateway_grpc=5000 gateway_http=5080 gateway_health=5090
services=(quote inspection auction transport)
# Instance i (1-based) of the k-th service (1-4): gRPC on 5100+10(i-1)+k, health on 5200+10(i-1)+k.
service_port() { echo $(($2 + 10 * ($3 - 1) + $1)); }   # k, base, instance
ports=()
for ((i = 1; i <= instances; i++)); do
  ports+=($((gateway_grpc + i - 1)) $((gateway_http + i - 1)) $((gateway_health + i - 1)))
  for k in 1 2 3 4; do ports+=("$(service_port $k 5100 $i)" "$(service_port $k 5200 $i)"); done
done
for port in "${ports[@]}"; do
  if port_in_use "$port"; then
    echo "port $port is already in use: is the system already running? (ports: ${ports[*]})" >&2
    exit 1
  fi
done

redis_port=${REDIS_PORT:-}
redis_ports=()
if [ "$redis_cluster" = 1 ]; then
  redis_port=${redis_port:-7001}
  for ((n = 0; n < 6; n++)); do
    if port_in_use $((redis_port + n)) || port_in_use $((redis_port + n + 10000)); then
      echo "port $((redis_port + n)) or its cluster bus $((redis_port + n + 10000)) is already in use: REDIS_PORT=N picks the first of six others" >&2; exit 1
    fi
    redis_ports+=($((redis_port + n)))
  done
elif [ -z "$redis_port" ]; then
  redis_port=6379
  while port_in_use "$redis_port"; do redis_port=$((redis_port + 1)); done
elif port_in_use "$redis_port"; then
  echo "REDIS_PORT=$redis_port is already in use" >&2; exit 1
fi
echo "$redis_port" > "$data/redis/port"   # for ./run.sh doctor

echo "building (Release)..."
dotnet build Remarketing.sln -c Release -nologo -v q -clp:ErrorsOnly

# The local secrets, made once and kept out of git: the token key ring (an ES256 key pair per
# signer: identity, gateway, each service) and a Redis password per ACL user, with the ACL file.
keys_dir="$(mkdir -p "$data/keys" && cd "$data/keys" && pwd)"
dotnet artifacts/bin/Remarketing.Keys/release/Remarketing.Keys.dll init "$keys_dir" > /dev/null

pids=()
names=()
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap - INT TERM
  echo
  echo "stopping..."
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

# Each process in a session of its own: Ctrl-C in the terminal reaches this script and the
# simulation (which sums up, reading from the system) and not Redis or the services, which
# stop_all ends afterwards. Each start keeps the logs of the five runs before it (name.log.1 is
# the last), so what Redis logged when it last loaded its data is still there after a restart.
start() { # name, command...
  local name=$1; shift
  local log="$data/logs/$name.log" i
  for i in 4 3 2 1; do [ -f "$log.$i" ] && mv -f "$log.$i" "$log.$((i + 1))"; done
  [ -f "$log" ] && mv -f "$log" "$log.1"
  setsid "$@" > "$log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# Redis as deploy/redis/redis.conf configures it (every test starts it with the same script).
# Each service connects as its own ACL user (its key prefix, the commands it uses); the default
# user is off. The admin user's password is in $keys_dir/redis-admin.password.
if [ "$redis_cluster" = 1 ]; then
  # Every node as deploy/redis/redis.conf configures it; a replica logs in to its primary as the admin.
  cluster_formed=1
  for port in "${redis_ports[@]}"; do
    mkdir -p "$data/redis-cluster/$port"
    [ -f "$data/redis-cluster/$port/nodes.conf" ] || cluster_formed=0
    start "redis-$port" deploy/redis/start.sh "$port" "$(cd "$data/redis-cluster/$port" && pwd)" "$keys_dir/redis-users.acl" \
      --cluster "$keys_dir/redis-admin.password"
  done
else
  start redis deploy/redis/start.sh "$redis_port" "$(cd "$data/redis" && pwd)" "$keys_dir/redis-users.acl"
fi

# The shared clock lives in Redis (the "clock" key) and the first service to start writes it from
# these settings; a clock left there by an earlier run goes first, so each run starts its clock
# anew at real time now and at --speed. Clock:Control lets the remarketing role change it (SetClock).
admin=(redis-cli -c -p "$redis_port" --user admin --pass "$(cat "$keys_dir/redis-admin.password")" --no-auth-warning)
for port in "${redis_ports[@]:-$redis_port}"; do
  for _ in $(seq 100); do
    [ "$("${admin[@]}" -p "$port" PING 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
done
if [ "$redis_cluster" = 1 ]; then
  if [ "$cluster_formed" = 0 ]; then
    "${admin[@]}" --cluster create "${redis_ports[@]/#/127.0.0.1:}" --cluster-replicas 1 --cluster-yes > "$data/logs/redis-cluster-create.log" 2>&1 \
      || { echo "the Redis Cluster could not be formed; see $data/logs/redis-cluster-create.log" >&2; exit 1; }
  fi
  for _ in $(seq 300); do
    "${admin[@]}" CLUSTER INFO 2>/dev/null | grep -q "cluster_state:ok" && break
    sleep 0.1
  done
fi
if ! "${admin[@]}" DEL clock > /dev/null; then
  echo "Redis on 127.0.0.1:$redis_port does not answer; see $data/logs/redis.log" >&2; exit 1
fi
# Keys an earlier version wrote go where this one reads them (once; nothing to do after that).
dotnet artifacts/bin/Remarketing.Keys/release/Remarketing.Keys.dll migrate "$keys_dir" --redis "127.0.0.1:$redis_port" \
  || { echo "some keys could not move to this version's layout (above): the system would not see them" >&2; exit 1; }
for port in "${redis_ports[@]:-$redis_port}"; do
  "${admin[@]}" -p "$port" --scan --pattern 'clock:{clock}:request:*' | while read -r key; do "${admin[@]}" DEL "$key" > /dev/null; done
done

export ASPNETCORE_ENVIRONMENT=Local
redis_addresses=("${redis_ports[@]:-$redis_port}")
export Redis__Configuration; Redis__Configuration=$(IFS=,; echo "${redis_addresses[*]/#/127.0.0.1:}")
# On the cluster a write is answered once a replica has it too (WAIT 1), so a failover loses nothing
# acknowledged; Redis__ReplicasToAcknowledge set in the environment wins (0 to measure what WAIT costs).
export Redis__ReplicasToAcknowledge; Redis__ReplicasToAcknowledge=${Redis__ReplicasToAcknowledge:-$([ "$redis_cluster" = 1 ] && echo 1 || echo 0)}
export Auth__KeysDirectory="$keys_dir"
export Clock__Epoch; Clock__Epoch=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
export Clock__Speed="$speed"
export Clock__Control=true

# Every process knows every instance of each service: the gateway spreads calls over them, and a
# service's hand-offs go round robin over those that answer.
for k in 1 2 3 4; do
  addresses=()
  for ((i = 1; i <= instances; i++)); do addresses+=("http://127.0.0.1:$(service_port $k 5100 $i)"); done
  export "Services__${services[$((k - 1))]}=$(IFS=,; echo "${addresses[*]}")"
done
for ((i = 1; i <= instances; i++)); do
  suffix=$([ "$i" = 1 ] && echo "" || echo "-$i")
  for k in 1 2 3 4; do
    name=${services[$((k - 1))]}
    project=$(echo "${name:0:1}" | tr '[:lower:]' '[:upper:]')${name:1}
    start "$name$suffix" env Redis__User="$name" Redis__PasswordFile="$keys_dir/redis-$name.password" \
      Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$(service_port $k 5100 $i)" \
      Kestrel__Endpoints__Health__Url="http://127.0.0.1:$(service_port $k 5200 $i)" \
      bash -c "cd 'artifacts/bin/Remarketing.$project/release' && exec dotnet Remarketing.$project.dll"
  done
  start "gateway$suffix" env \
    Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$((gateway_grpc + i - 1))" \
    Kestrel__Endpoints__Http__Url="http://127.0.0.1:$((gateway_http + i - 1))" \
    Kestrel__Endpoints__Health__Url="http://127.0.0.1:$((gateway_health + i - 1))" \
    bash -c "cd 'artifacts/bin/Remarketing.Gateway/release' && exec dotnet Remarketing.Gateway.dll"
done

redis_shown="127.0.0.1:$redis_port"
[ "$redis_cluster" = 1 ] && redis_shown="a Redis Cluster on 127.0.0.1:${redis_ports[0]}-${redis_ports[5]}"
echo "starting Redis ($redis_shown), the services and the gateway..."
healthy=0
for _ in $(seq 600); do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "${names[$i]} exited at start; last lines of $data/logs/${names[$i]}.log:" >&2
      tail -n 20 "$data/logs/${names[$i]}.log" >&2
      exit 1
    fi
  done
  # Degraded serves too: it names what needs a person (a failed hand-off, a breach), said below.
  if deploy/healthcheck.sh "$gateway_http"; then healthy=1; break; fi
  sleep 0.2
done
if [ "$healthy" != 1 ]; then
  echo "the system did not become healthy within 2 minutes; see $data/logs/. What /healthz says:" >&2
  deploy/healthcheck.sh "$gateway_http" --reasons | sed 's/^/  /' >&2
  exit 1
fi

reasons=$(deploy/healthcheck.sh "$gateway_http" --reasons)
if [ -n "$reasons" ]; then
  echo "the system serves, degraded (details: curl -s http://127.0.0.1:$gateway_http/healthz; ./run.sh doctor):" >&2
  sed 's/^/  /' <<<"$reasons" >&2
fi
cat <<INFO

Remarketing is running (clock speed ${speed}x).
  pages (in a browser)         http://localhost:$gateway_http/center?as=remarketing:RC-1   the remarketing center's live market
                               http://localhost:$gateway_http/buyer?as=buyer:B-100         a buying dealer's lane
  gateway gRPC (HTTP/2, h2c)   127.0.0.1:$gateway_grpc   (reflection on; grpc.health.v1.Health)
  gateway HTTP/1.1             http://127.0.0.1:$gateway_http   (gRPC-Web, /healthz, POST /dev/token)
  services (direct, token required): quote :5101, inspection :5102, auction :5103, transport :5104
  health and Prometheus /metrics   gateway :$gateway_health, quote :5201, inspection :5202, auction :5203, transport :5204
$([ "$instances" -gt 1 ] && echo "  instances                    $instances of every process: instance i's ports are 10(i-1) above the first's
                               (gateway: i-1 above); each gateway spreads calls over every instance")
  Redis                        $redis_shown (append-only file in $data/redis$([ "$redis_cluster" = 1 ] && echo "-cluster/<port>"); ACL users, the
                               operator's: redis-cli -p $redis_port --user admin --pass "\$(cat $keys_dir/redis-admin.password)")
  logs                         $data/logs/

Get a token (roles: buyer, grounding_dealer, remarketing, inspector, transporter; services sign their own):
  curl -s -X POST http://127.0.0.1:$gateway_http/dev/token -H 'content-type: application/json' \\
       -d '{"subject": "D-100", "role": "buyer"}'
Then call, e.g.:
  grpcurl -plaintext -H "authorization: Bearer \$TOKEN" 127.0.0.1:$gateway_grpc remarketing.common.v1.ClockService/GetClock
Change the clock for every process (a remarketing token; speed 0 pauses it, advance jumps ahead):
  grpcurl -plaintext -H "authorization: Bearer \$TOKEN" -d '{"request_id": "speed-1", "speed": 1440}' \\
       127.0.0.1:$gateway_grpc remarketing.common.v1.ClockService/SetClock

INFO
set +e
if [ "$simulate" = 1 ]; then
  cat <<SIM
The simulation starts now (clock ${speed}x: a simulated day in $(awk "BEGIN { printf \"%.0f\", 86400 / $speed }") s real): lease
accounts, returns, inspections, SmartAuction listings with bidding bots, pickups. Watch it below;
'./run.sh watch' in another terminal shows every live listing. Ctrl-C ends the simulation, writes its
summary and chart to $data/simulation/, and stops everything.

SIM
  sleep 2
  # Through every gateway: the simulated people go round robin over those that answer.
  gateways=() gateways_http=()
  for ((i = 1; i <= instances; i++)); do
    gateways+=("http://127.0.0.1:$((gateway_grpc + i - 1))") gateways_http+=("http://127.0.0.1:$((gateway_http + i - 1))")
  done
  dotnet "$simulator" --output "$data/simulation" --gateway "$(IFS=,; echo "${gateways[*]}")" \
    --gateway-http "$(IFS=,; echo "${gateways_http[*]}")" "${sim_args[@]}"
  echo "the simulation ended; the system keeps running. Ctrl-C stops everything."
else
  echo "Ctrl-C stops everything."
fi

# Stay up until Ctrl-C or until a process ends on its own. With several instances or a Redis
# Cluster, the system serves on while every kind of process (Redis, each service, the gateway)
# has one left: an instance that ends is said once, and the others take its calls (a replica
# takes over a primary that ends).
reported=()
while true; do
  live=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && live+=("$pid"); done
  wait -n "${live[@]}"
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null && [[ " ${reported[*]} " != *" $i "* ]]; then
      echo "${names[$i]} stopped on its own; see $data/logs/${names[$i]}.log" >&2
      reported+=("$i")
    fi
  done
  [ "$instances" = 1 ] && [ "$redis_cluster" = 0 ] && exit 1
  for kind in redis "${services[@]}" gateway; do
    alive=0
    for i in "${!pids[@]}"; do
      [[ "${names[$i]}" =~ ^$kind(-[0-9]+)?$ ]] && kill -0 "${pids[$i]}" 2>/dev/null && alive=1
    done
    [ "$alive" = 1 ] || { echo "no $kind is left: stopping" >&2; exit 1; }
  done
  echo "the other instances serve on" >&2
done
