#!/usr/bin/env bash
# Builds the kernel and the two state backends (compile only: nothing is installed) and runs
# StateBench with the source launcher on the same module path berth uses, so the backends are
# found through the plugin registry as in production. Extra arguments go to java, e.g.
#   bench/state/run.sh -Dbench.records=2000
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -q -pl plugins/state-file,plugins/state-sqlite -am -DskipTests compile
repo=${MAVEN_REPO:-$HOME/.m2/repository}
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
jackson="$repo/com/fasterxml/jackson/core/jackson-core/$(prop jackson.version)/jackson-core-$(prop jackson.version).jar"
sqlite="$repo/org/xerial/sqlite-jdbc/$(prop sqlite-jdbc.version)/sqlite-jdbc-$(prop sqlite-jdbc.version).jar"
for j in "$jackson" "$sqlite"; do
  [ -f "$j" ] || { echo "missing $j (set MAVEN_REPO to your local Maven repository)" >&2; exit 1; }
done
mp="modules/kernel/target/classes:plugins/state-file/target/classes:plugins/state-sqlite/target/classes:$jackson:$sqlite"
# Compile once, so the fresh-JVM runs the benchmark starts measure berth, not javac.
out="$root/bench/state/target"
mkdir -p "$out"
javac --release 17 -d "$out" --module-path "$mp" --add-modules berth.kernel bench/state/StateBench.java
exec java -XX:+UseSerialGC --module-path "$mp" --add-modules ALL-MODULE-PATH -Dbench.classes="$out" "$@" \
  --class-path "$out" StateBench
