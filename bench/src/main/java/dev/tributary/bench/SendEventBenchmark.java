package dev.tributary.bench;

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
 * Caller-thread cost of {@code sendEvent(domain, name, entityId, attributes)}: looking up the
 * domain's stream, copying the attributes, capturing the context and offering to the buffer.
 * Events use the durable producer (acks=all, idempotent), so the I/O thread drains them more
 * slowly than logs.
 *
 * <p>Events have no rate limit by default. Each measurement iteration gets a fresh client, so that
 * its buffer starts empty. Two regimes, chosen by {@code buffer}: the default capacity (8192), where a caller that outruns the I/O thread
 * (or a broker that is down) soon turns every call into a counted drop, and a buffer large enough
 * that an iteration's calls are all accepted. The accepted/dropped counts of each iteration are
 * printed, so a figure can always be told apart as an accept or a drop cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The large buffer holds millions of records between iterations. The heap is touched at start-up:
// otherwise the first pass of the allocations over a fresh 6 GB heap takes a page fault per 4 KB
// page, which showed as a p99 of 10-20 us (0.2 us with the pages touched), a cost of a new JVM's
// heap, not of the call.
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class SendEventBenchmark {
  /** Large enough for an iteration of 2 s at about 250 ns a call. */
  static final int LARGE_BUFFER = 1 << 23;

  @Param({"up", "down"})
  public String broker;

  /**
   * {@code default} (8192), {@code large} ({@value #LARGE_BUFFER}), or {@code spooled}: the
   * default buffer in front of an event spool (a fresh temporary directory per iteration, default
   * spool settings), the caller's cost during an outage with the spool on (issue 3).
   */
  @Param({"default", "large", "spooled"})
  public String buffer;

  private ClientUnderTest fixture;
  private Tributary client;

  @Setup(Level.Trial)
  public void startBroker() {
    fixture = ClientUnderTest.forBroker(broker);
  }

  @Setup(Level.Iteration)
  public void newClient() {
    client = fixture.newClient(capacity(buffer), true,
        buffer.equals("spooled") ? ClientUnderTest.Spool.EVENTS : ClientUnderTest.Spool.NONE);
  }

  @TearDown(Level.Iteration)
  public void report() {
    System.out.println(fixture.regime(StreamKind.EVENTS));
  }

  @TearDown(Level.Trial)
  public void stop() {
    fixture.close();
  }

  @Benchmark
  public boolean sendEvent() {
    return client.sendEvent(BenchClients.EVENT_DOMAIN, BenchClients.EVENT_NAME, BenchClients.EVENT_ENTITY,
        BenchClients.EVENT_ATTRIBUTES);
  }

  static int capacity(String buffer) {
    return switch (buffer) {
      case "default", "spooled" -> dev.tributary.TributaryBuilder.DEFAULT_EVENTS_BUFFER_CAPACITY;
      case "large" -> LARGE_BUFFER;
      default -> throw new IllegalArgumentException("buffer must be default or large, was " + buffer);
    };
  }
}
