#!/usr/bin/env bash
# Starts Redis in the foreground as Remarketing runs it: deploy/redis/redis.conf, on loopback.
# ./run.sh and every test that needs a Redis start it with this script, so they cannot differ.
#   deploy/redis/start.sh PORT DATA_DIRECTORY ACL_FILE
#   deploy/redis/start.sh PORT DATA_DIRECTORY ACL_FILE --cluster ADMIN_PASSWORD_FILE
#       a node of a Redis Cluster (its bus on PORT + 10000): the same configuration, and as a
#       replica it logs in to its primary as the ACL's admin user
set -euo pipefail
port=${1:?port} data=${2:?data directory} acl=${3:?ACL file}
cluster=()
if [ "${4:-}" = --cluster ]; then
  password_file=${5:?the admin password file}
  cluster=(--cluster-enabled yes --cluster-config-file "$data/nodes.conf" --cluster-node-timeout 2000
           --masteruser admin --masterauth "$(cat "$password_file")")
fi
exec redis-server "$(dirname "$0")/redis.conf" --port "$port" --bind 127.0.0.1 --dir "$data" --aclfile "$acl" "${cluster[@]}"
