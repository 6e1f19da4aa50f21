#!/bin/sh
# Runs the boltdb state backend benchmark (berth.state.bolt.bench.BoltBench, kept with the plugin's
# test sources). Usage: bench/bolt/run.sh [containers=1000] [provider=boltdb]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
cp_file=plugins/state-bolt/target/bench.classpath
mvn -q -o -pl plugins/state-bolt -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$here/$cp_file" -Dmdep.includeScope=test >/dev/null
cp="plugins/state-bolt/target/test-classes:plugins/state-bolt/target/classes:$(cat "$cp_file")"
exec java -cp "$cp" berth.state.bolt.bench.BoltBench "$@"
