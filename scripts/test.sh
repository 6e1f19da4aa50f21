#!/usr/bin/env bash
# Runs the whole test suite (unit, conformance, end-to-end against real runtimes, then the packages:
# a minimal plugin set, the self-contained tarball, the Debian package): the README's second
# command, and what CI runs through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
$sudo scripts/setup-host.sh
# the end-to-end tests create real containers, so the build runs as root
# --fail-at-end: one run reports every module's failures, not only the first
$sudo mvn -B --fail-at-end verify
# after the suite: the Debian package it installs puts /etc/berth/containers.conf in place
$sudo scripts/test-packaging.sh
