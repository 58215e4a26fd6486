package dev.tributary.bench;

import dev.tributary.Counter;
import dev.tributary.MetricType;
import dev.tributary.Tributary;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Caller-thread cost of a counter increment, three ways, against a {@link LongAdder#increment()}
 * measured in the same run. Target: a counter increment costs about as much as a LongAdder
 * increment, at most 50 ns.
 *
 * <ul>
 *   <li>{@link #seriesIncrement}: a held {@link Counter.Series} (the hot-path idiom);
 *   <li>{@link #labelsIncrement}: {@code counter.labels("GET", "200").increment()}, a series lookup per call;
 *   <li>{@link #sendMetric}: {@code sendMetric(COUNTER, name, 1, labels)}, the convenience path that
 *       looks up the instrument and the series by name and label map per call.
 * </ul>
 * Increments only touch memory; the broker matters only through the threads it keeps busy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class CounterBenchmark {
  private static final String NAME = "bench_requests_total";
  private static final Map<String, String> LABELS = Map.of("method", "GET", "status", "200");

  @Param({"up", "down"})
  public String broker;

  private ClientUnderTest fixture;
  private Tributary client;
  private Counter counter;
  private Counter.Series series;
  private final LongAdder adder = new LongAdder();

  @Setup(Level.Trial)
  public void setUp() {
    fixture = ClientUnderTest.forBroker(broker);
    client = fixture.newClient(dev.tributary.TributaryBuilder.DEFAULT_LOGS_BUFFER_CAPACITY, true);
    // The same instrument sendMetric registers: label names in sorted order.
    counter = client.counter(NAME).labelNames("method", "status").build();
    series = counter.labels("GET", "200");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("[metrics] " + client.stats());
    fixture.close();
  }

  @Benchmark
  public void longAdderBaseline() {
    adder.increment();
  }

  @Benchmark
  public void seriesIncrement() {
    series.increment();
  }

  @Benchmark
  public void labelsIncrement() {
    counter.labels("GET", "200").increment();
  }

  @Benchmark
  public boolean sendMetric() {
    return client.sendMetric(MetricType.COUNTER, NAME, 1.0, LABELS);
  }
}
