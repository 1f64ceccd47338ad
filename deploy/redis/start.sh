#!/usr/bin/env bash
# Starts Redis in the foreground as Remarketing runs it: deploy/redis/redis.conf, on loopback.
# ./run.sh and every test that needs a Redis start it with this script, so they cannot differ.
#   deploy/redis/start.sh PORT DATA_DIRECTORY ACL_FILE
set -euo pipefail
port=${1:?port} data=${2:?data directory} acl=${3:?ACL file}
exec redis-server "$(dirname "$0")/redis.conf" --port "$port" --bind 127.0.0.1 --dir "$data" --aclfile "$acl"
