#!/usr/bin/env bash
# Installs jpull and its `jpull serve` systemd unit (dist/systemd/jpull-serve.service), then enables and starts it;
# and the `jpull daemon` unit (dist/systemd/jpull-daemon.service: root's pulls without a JVM start each), unless
# --no-daemon.
#
#   sudo dist/install-serve.sh [--prefix DIR] [--unit-dir DIR] [--destdir DIR] [--jar FILE] [--no-start] [--no-daemon] [--dry-run]
#
# Files: PREFIX/lib/jpull/jpull (the launcher), PREFIX/lib/jpull/cli/target/jpull.jar (where the launcher looks for
# it), PREFIX/bin/jpull -> ../lib/jpull/jpull, UNIT_DIR/jpull-serve.service, and the daily clean-up of its store
# UNIT_DIR/jpull-serve-prune.{service,timer}, and UNIT_DIR/jpull-daemon.service (ExecStart names PREFIX/bin/jpull).
# Then `systemctl daemon-reload`, `systemctl enable --now jpull-serve.service` and `... jpull-serve-prune.timer`,
# `systemctl enable jpull-daemon.service` and `systemctl restart jpull-daemon.service` (a daemon still running the
# old jar would be skipped by the launcher until restarted), unless --no-start or --destdir
# (files staged below DIR for a package: PREFIX and UNIT_DIR are where they end up). The jar is the one ./jpull
# runs (cli/target/jpull.jar, built first when missing), or FILE. --dry-run prints each step and changes nothing.
# Defaults: --prefix /usr/local, --unit-dir /etc/systemd/system.
set -euo pipefail

self=$(readlink -f -- "${BASH_SOURCE[0]}")
repo=${self%/dist/*}
prefix=/usr/local
unit_dir=/etc/systemd/system
destdir=
jar=
start=1
daemon=1
dry=0

usage() {
    sed -n '6p' -- "$self" | sed 's/^#   //'
}

while (($#)); do
    case $1 in
        --prefix | --unit-dir | --destdir | --jar)
            if (($# < 2)) || [[ -z $2 ]]; then
                echo "install-serve.sh: $1 needs a value" >&2
                exit 2
            fi
            case $1 in
                --prefix) prefix=$2 ;;
                --unit-dir) unit_dir=$2 ;;
                --destdir) destdir=$2 ;;
                --jar) jar=$2 ;;
            esac
            shift 2
            ;;
        --no-start) start=0; shift ;;
        --no-daemon) daemon=0; shift ;;
        --dry-run) dry=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *)
            echo "install-serve.sh: unknown option '$1'; usage: $(usage)" >&2
            exit 2
            ;;
    esac
done
for dir in "$prefix" "$unit_dir"; do
    if [[ $dir != /* ]]; then
        echo "install-serve.sh: '$dir' is not an absolute path (it is written into the unit)" >&2
        exit 2
    fi
done
if [[ -n $destdir ]]; then
    destdir=$(readlink -m -- "$destdir")
    start=0
fi

# Runs a step, or prints it with --dry-run.
step() {
    if ((dry)); then
        printf '+'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

# Builds cli/target/jpull.jar with ./jpull (Maven, tests skipped), which says in one line what is missing if it
# cannot.
build_jar() {
    "$repo/jpull" --version >/dev/null
}

# The unit with ExecStart naming the installed launcher: step "write_unit FROM TO".
write_unit() {
    sed "s#^ExecStart=/usr/local/bin/jpull #ExecStart=$prefix/bin/jpull #" -- "$1" >"$2.tmp"
    chmod 0644 -- "$2.tmp"
    mv -f -- "$2.tmp" "$2"
}

if [[ -z $jar ]]; then
    jar=$repo/cli/target/jpull.jar
    if [[ ! -f $jar ]]; then
        step build_jar
    fi
elif [[ ! -f $jar ]]; then
    echo "install-serve.sh: --jar $jar: no such file" >&2
    exit 2
fi

lib=$destdir$prefix/lib/jpull
bin=$destdir$prefix/bin
units=$destdir$unit_dir
step mkdir -p -- "$lib/cli/target" "$bin" "$units"
step cp -f -- "$repo/jpull" "$lib/jpull"
step chmod 0755 -- "$lib/jpull"
step cp -f -- "$jar" "$lib/cli/target/jpull.jar.tmp"
step chmod 0644 -- "$lib/cli/target/jpull.jar.tmp"
step mv -f -- "$lib/cli/target/jpull.jar.tmp" "$lib/cli/target/jpull.jar"
step ln -sfn -- ../lib/jpull/jpull "$bin/jpull"
step write_unit "$repo/dist/systemd/jpull-serve.service" "$units/jpull-serve.service"
step write_unit "$repo/dist/systemd/jpull-serve-prune.service" "$units/jpull-serve-prune.service"
step write_unit "$repo/dist/systemd/jpull-serve-prune.timer" "$units/jpull-serve-prune.timer"
if ((daemon)); then
    step write_unit "$repo/dist/systemd/jpull-daemon.service" "$units/jpull-daemon.service"
fi

if ((start)); then
    if [[ ! -e /etc/rancher/k3s/registries.yaml ]]; then
        echo "install-serve.sh: note: /etc/rancher/k3s/registries.yaml does not exist; jpull serve reads it" \
            "(--config): create it, or change ExecStart with 'systemctl edit jpull-serve'" >&2
    fi
    step systemctl daemon-reload
    step systemctl enable --now jpull-serve.service
    step systemctl enable --now jpull-serve-prune.timer
    if ((daemon)); then
        step systemctl enable jpull-daemon.service
        step systemctl restart jpull-daemon.service
    fi
elif [[ -n $destdir ]]; then
    echo "install-serve.sh: staged below $destdir; on the node run: systemctl daemon-reload &&" \
        "systemctl enable --now jpull-serve.service jpull-serve-prune.timer$( ((daemon)) && echo \
        " jpull-daemon.service")" >&2
fi
