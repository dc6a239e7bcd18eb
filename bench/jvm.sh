#!/usr/bin/env bash
# Prints "java VERSION" of the JVM the ./jpull launcher runs (JAVA_HOME's or PATH's), for the bench reports.
root="$(cd "$(dirname "$0")/.." && pwd)"
JPULL_JAVA_OPTS=-XshowSettings:properties "$root/jpull" --version 2>&1 | sed -n 's/^ *java.runtime.version = /java /p'
