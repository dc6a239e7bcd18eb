# Loopback helpers for the bench scripts (sourced, not run). Needs: $work (scratch dir), docker-registry.

# free_port: a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port=$(( (RANDOM % 30000) + 20000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( (RANDOM % 30000) + 20000 )); done
  echo "$port"
}

# wait_port PORT: waits (at most 10 s) until something listens on 127.0.0.1:PORT.
wait_port() {
  for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "bench: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# start_registry: a distribution registry on a free loopback port, storing in $work/registry; sets $registry
# (host:port) and $reg_pid.
start_registry() {
  local port
  port=$(free_port)
  registry="127.0.0.1:$port"
  cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: $registry, secret: jpull-bench}
YAML
  docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
  reg_pid=$!
  wait_port "$port"
}
