package dev.tributary.bench;

import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Caller-thread cost of {@code sendLog(level, message, fields)}: building the entry, capturing
 * the context and offering it to the buffer. Target: at most 2 µs at p99, broker up or down.
 *
 * <p>Each measurement iteration gets a fresh client, so that its buffer starts empty. Three
 * regimes, chosen by {@code config}, because a caller in a loop is far faster than any limit:
 * <ul>
 *   <li>{@code defaults}: the default buffer (8192) and rate limit (10 k/s, burst 20 k): after the
 *       burst almost every call is refused by the token bucket (counted as rejected);
 *   <li>{@code unlimited}: the default buffer, no rate limit: a caller that outruns the I/O thread
 *       (or a broker that is down) soon turns almost every call into a counted drop;
 *   <li>{@code large}: no rate limit and a buffer large enough that an iteration's calls are all
 *       accepted: the cost of the accepting path (and of the garbage a growing backlog makes);
 *   <li>{@code spilled}: the default buffer, no rate limit, {@code logs.overflow=spill} with a spool
 *       in a fresh temporary directory per iteration (default spool settings): with the broker down,
 *       the caller's cost during an outage with spill on (issue 3), while the I/O thread moves the
 *       buffer to the disk.
 * </ul>
 * The accepted/dropped/rejected counts of each iteration are printed, so a figure can always be
 * told apart as an accept, a drop or a rejection cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The large buffer holds millions of records between iterations. The heap is touched at start-up:
// otherwise the first pass of the allocations over a fresh 6 GB heap takes a page fault per 4 KB
// page, which showed as a p99 of 10-20 us (0.2 us with the pages touched), a cost of a new JVM's
// heap, not of the call.
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class SendLogBenchmark {
  /** Large enough for an iteration of 2 s at about 250 ns a call. */
  static final int LARGE_BUFFER = 1 << 23;

  @Param({"up", "down"})
  public String broker;

  /** {@code defaults}, {@code unlimited}, {@code large} or {@code spilled}; see the class comment. */
  @Param({"defaults", "unlimited", "large", "spilled"})
  public String config;

  private ClientUnderTest fixture;
  private Tributary client;

  @Setup(Level.Trial)
  public void startBroker() {
    fixture = ClientUnderTest.forBroker(broker);
  }

  @Setup(Level.Iteration)
  public void newClient() {
    client = fixture.newClient(capacity(config), config.equals("defaults"),
        config.equals("spilled") ? ClientUnderTest.Spool.LOGS : ClientUnderTest.Spool.NONE);
  }

  @TearDown(Level.Iteration)
  public void report() {
    System.out.println(fixture.regime(StreamKind.LOGS));
  }

  @TearDown(Level.Trial)
  public void stop() {
    fixture.close();
  }

  @Benchmark
  public boolean sendLog() {
    return client.sendLog(LogLevel.INFO, BenchClients.LOG_MESSAGE, BenchClients.LOG_FIELDS);
  }

  static int capacity(String config) {
    return switch (config) {
      case "defaults", "unlimited", "spilled" -> dev.tributary.TributaryBuilder.DEFAULT_LOGS_BUFFER_CAPACITY;
      case "large" -> LARGE_BUFFER;
      default -> throw new IllegalArgumentException("config must be defaults, unlimited, large or spilled, was " + config);
    };
  }
}
