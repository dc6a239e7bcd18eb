# Loopback helpers for the bench scripts (sourced, not run). Needs: $work (scratch dir), docker-registry;
# start_containerd also containerd and ctr.

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

# start_containerd DIR: a private containerd with root, state and socket (DIR/c.sock) in DIR, as testdata's
# ContainerdFixture; sets $ctd_dir and $ctd_pid; returns once it answers (exits the script if it cannot start).
start_containerd() {
  ctd_dir=$1
  mkdir -p "$ctd_dir"
  cat > "$ctd_dir/config.toml" <<TOML
version = 2
root = "$ctd_dir/root"
state = "$ctd_dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$ctd_dir/c.sock"
[ttrpc]
  address = "$ctd_dir/c.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
TOML
  containerd --config "$ctd_dir/config.toml" >"$ctd_dir/containerd.log" 2>&1 &
  ctd_pid=$!
  for _ in $(seq 600); do
    kill -0 "$ctd_pid" 2>/dev/null || { echo "bench: containerd exited:" >&2; cat "$ctd_dir/containerd.log" >&2; exit 1; }
    [ -S "$ctd_dir/c.sock" ] && ctr --address "$ctd_dir/c.sock" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench: containerd did not answer within 60 s" >&2; exit 1
}

# stop_containerd: stops the containerd of the current run, unmounts what it left below its dir, removes the dir.
stop_containerd() {
  if [ -n "$ctd_pid" ]; then
    kill "$ctd_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$ctd_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$ctd_pid" 2>/dev/null || true
    wait "$ctd_pid" 2>/dev/null || true
    ctd_pid=""
  fi
  if [ -n "$ctd_dir" ]; then
    awk -v d="$ctd_dir/" 'index($2, d) == 1 {print length($2), $2}' /proc/self/mounts | sort -rn | cut -d' ' -f2- |
      while read -r m; do umount -l "$m" || true; done
    rm -rf "$ctd_dir"
    ctd_dir=""
  fi
}
