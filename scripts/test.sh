#!/usr/bin/env bash
# Runs the whole test suite (unit, conformance, end-to-end against real runtimes): the README's
# second command, and what CI runs through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
$sudo scripts/setup-host.sh
# the end-to-end tests create real containers, so the build runs as root
$sudo mvn -B verify
