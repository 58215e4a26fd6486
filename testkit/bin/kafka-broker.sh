#!/usr/bin/env bash
# Runs a single-node Kafka broker (KRaft, 127.0.0.1) from the Tributary test kit, in the foreground.
#
#   testkit/bin/kafka-broker.sh [--port N] [--controller-port N] [--log-dir DIR] [--partitions N]
#                               [--property key=value]... [--exit-on-stdin-eof]
#
# Prints TRIBUTARY_KAFKA_BOOTSTRAP=127.0.0.1:<port> on stdout once the broker is ready; Kafka's
# warnings go to stderr. Ctrl-C or SIGTERM shuts it down cleanly. Without --log-dir the data is
# deleted on exit.
#
# The module is compiled and its class path computed with Maven on every start (a few seconds), so
# the broker never runs stale classes; set TRIBUTARY_SKIP_BUILD=1 to reuse the last build.
# JVM options come from KAFKA_BROKER_JAVA_OPTS (default -Xmx512m).
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root_dir="$(dirname "$module_dir")"
classpath_file="$module_dir/target/kafka-broker.classpath"

if [[ "${TRIBUTARY_SKIP_BUILD:-0}" != 1 || ! -s "$classpath_file" ]]; then
  # process-test-resources compiles the main classes and copies logback-test.xml (WARN, to stderr);
  # the test-scope class path brings logback as the logging backend.
  (cd "$root_dir" && mvn -B -q -Dstyle.color=never -pl testkit process-test-resources dependency:build-classpath \
      -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test) >&2
fi

java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

# shellcheck disable=SC2086 # KAFKA_BROKER_JAVA_OPTS is a list of options
exec "$java_bin" ${KAFKA_BROKER_JAVA_OPTS:--Xmx512m} \
  -cp "$module_dir/target/classes:$module_dir/target/test-classes:$(cat "$classpath_file")" \
  dev.tributary.testkit.KafkaBrokerMain "$@"
