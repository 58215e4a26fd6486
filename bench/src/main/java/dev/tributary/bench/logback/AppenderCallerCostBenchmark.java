package dev.tributary.bench.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.tributary.StreamKind;
import dev.tributary.TributaryStats;
import dev.tributary.logback.TributaryAppender;
import dev.tributary.testkit.KafkaBrokerProcess;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Caller-thread cost of one logging call at a steady rate below saturation (issue 4): Tributary's
 * appender (broker up) against Logback's own {@code AsyncAppender} (defaults: queue 256) wrapping
 * an {@code OutputStreamAppender} that writes the peer's pattern to a null stream, in one JMH run.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar AppenderCallerCostBenchmark
 * </pre>
 *
 * <p>Pacing: a per-invocation set-up spins until the next slot of {@code rate} calls/s, so the
 * timed part is the logging call alone (sample mode times every call; JMH's per-invocation
 * timestamps add the same ~20-30 ns to both contenders). If the caller falls behind (a pause), the
 * schedule restarts from now instead of bursting to catch up. The Tributary contender's rate limit
 * is lifted, so that 20,000 calls/s are all accepted rather than refused by the default 10,000/s
 * limit; each iteration prints what its client accepted and dropped, so that a figure is never
 * a drop's cost taken for an accept's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
// Heap pages touched at start-up, so that first-touch page faults are not measured as call cost.
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class AppenderCallerCostBenchmark {
  /** Distinct placeholder values, cycled, so that the argument costs no allocation in the timed part. */
  private static final int IDS = 1024;

  /** {@code tributary} (broker up) or {@code async-null} (Logback's AsyncAppender over a null stream). */
  @Param({"tributary", "async-null"})
  public String contender;

  /** Logging calls per second. */
  @Param({"20000"})
  public int rate;

  /** An external broker; empty: start one in a child JVM (for both contenders; only Tributary sends to it). */
  @Param({""})
  public String bootstrap;

  private KafkaBrokerProcess broker;
  private Delivered delivered;
  private LoggerContext context;
  private TributaryAppender tributary;
  private Logger log;
  private final String[] ids = new String[IDS];
  private String id;
  private int next;
  private long intervalNanos;
  private long slotNanos;
  private TributaryStats.StreamStats before;

  @Setup(Level.Trial)
  public void start() throws Exception {
    for (int i = 0; i < IDS; i++) {
      ids[i] = "A-" + (1_000_000 + i);
    }
    intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    context = Contenders.context(contender);
    // The broker runs for both contenders, so that both share the machine with the same processes.
    String servers = bootstrap;
    if (servers.isEmpty()) {
      broker = KafkaBrokerProcess.builder().args("--partitions", String.valueOf(Delivered.PARTITIONS)).start();
      servers = broker.bootstrapServers();
    }
    switch (contender) {
      case "tributary" -> {
        delivered = new Delivered(servers);
        String topic = "logs.caller-cost." + System.nanoTime();
        delivered.createTopic(topic);
        tributary = Contenders.tributary(servers, topic, 8192, 30_000);
        log = Contenders.logger(context, tributary);
      }
      case "async-null" -> log = Contenders.logger(context, Contenders.asyncToNull(context));
      default -> throw new IllegalArgumentException("contender must be tributary or async-null, was " + contender);
    }
    slotNanos = System.nanoTime();
  }

  @Setup(Level.Iteration)
  public void beforeIteration() {
    before = logsStats();
  }

  /** Waits for the next slot of the steady rate (not timed). */
  @Setup(Level.Invocation)
  public void pace() {
    slotNanos += intervalNanos;
    long now = System.nanoTime();
    if (now - slotNanos > intervalNanos) {
      slotNanos = now; // fell behind: carry on at the rate from now, no catch-up burst
    }
    while (System.nanoTime() - slotNanos < 0) {
      Thread.onSpinWait();
    }
    id = ids[next++ & (IDS - 1)];
  }

  @Benchmark
  public void info() {
    log.info(Lines.MESSAGE, id);
  }

  @TearDown(Level.Iteration)
  public void afterIteration() {
    TributaryStats.StreamStats after = logsStats();
    if (after != null) {
      System.out.printf("%n  [tributary client, this iteration] accepted %d, dropped %d, rejected %d, appender dropped %d%n",
          after.accepted() - before.accepted(), after.dropped() - before.dropped(),
          after.rejected() - before.rejected(), tributary.getDroppedCount());
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    context.stop();
    if (delivered != null) {
      delivered.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private TributaryStats.StreamStats logsStats() {
    return tributary == null ? null : tributary.getClientStats().stream(StreamKind.LOGS);
  }
}
