package dev.tributary.bench.prometheus;

import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.EnvelopeException;
import dev.tributary.wire.SeriesDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decode part of the Prometheus sidecar's ingest, without Kafka: ns per {@code metrics.events}
 * record of {@link IngestHarness}'s workload (100 series per instance: counters, gauges and
 * 10-bucket histograms), decoded in the order a partition delivers them, by
 * <ul>
 *   <li>{@code series}: a {@link SeriesDecoder}, as the sidecar does; after the first step every
 *       record repeats its series' previous one but for the values, so this is the steady state;</li>
 *   <li>{@code plain}: the {@link EnvelopeCodec} decoder alone (what the sidecar did before, and
 *       what it does for a record that does not repeat);</li>
 *   <li>{@code copy}: neither, the baseline: each variant first copies the record into a new array,
 *       as Kafka's consumer hands the sidecar every value freshly copied out of the decompressed
 *       batch (so the record's bytes are in the cache and the decoder's own state is not).</li>
 * </ul>
 * Scores are ns per record: an invocation decodes the next {@value #RECORDS} records of steps 1 to
 * {@value #STEPS}, round robin, starting at step 2 (steps 0 and 1 are decoded in the set-up, so that
 * the templates and their order exist).
 *
 * <pre>java -jar bench/target/benchmarks.jar SeriesDecodeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SeriesDecodeBenchmark {
  static final int STEPS = 4;
  static final int RECORDS = 1000;

  /** Instances of 100 series each: 10 (1,000 series) or 100 (10,000, the ingest harness's). */
  @Param({"10", "100"})
  public int instances;

  @Param({"series", "plain", "copy"})
  public String decoder;

  private byte[][][] keys;
  private byte[][][] values;
  private SeriesDecoder series;
  private EnvelopeCodec.Decoder plain;
  private int step;
  private int next;
  private long decoded;
  private long repeatsBefore;

  @Setup(Level.Trial)
  public void encode() throws EnvelopeException {
    Workload w = new Workload(IngestHarness.METRICS_PER_INSTANCE, instances, IngestHarness.ROUTES);
    EnvelopeCodec codec = EnvelopeCodec.create();
    long base = System.currentTimeMillis() - (STEPS + 1L) * Workload.STEP_MILLIS;
    keys = new byte[STEPS + 1][][];
    values = new byte[STEPS + 1][][];
    for (int s = 0; s <= STEPS; s++) {
      List<byte[]> k = new ArrayList<>();
      List<byte[]> v = new ArrayList<>();
      w.forEachSample(s, base, (instance, e) -> {
        k.add((Workload.SERVICE + "/" + Workload.instance(instance)).getBytes(StandardCharsets.UTF_8));
        v.add(codec.encode(e));
      });
      keys[s] = k.toArray(new byte[0][]);
      values[s] = v.toArray(new byte[0][]);
    }
    plain = codec.newDecoder();
    series = new SeriesDecoder(codec.newDecoder(), 100_000);
    for (int s = 0; s <= 1; s++) { // steps 0 and 1: every template, and which follows which across steps
      for (int i = 0; i < values[s].length; i++) {
        series.decode(keys[s][i], values[s][i]);
      }
    }
    repeatsBefore = series.repeats();
    step = 2;
    next = 0;
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public void decode(Blackhole bh) throws EnvelopeException {
    int mode = decoder.equals("series") ? 0 : decoder.equals("plain") ? 1 : 2;
    for (int n = 0; n < RECORDS; n++) {
      if (next == values[step].length) {
        step = step % STEPS + 1;
        next = 0;
      }
      int i = next++;
      byte[] value = values[step][i].clone();
      decoded += mode == 0 ? 1 : 0;
      bh.consume(mode == 0 ? series.decode(keys[step][i], value) : mode == 1 ? plain.decode(value) : value);
    }
  }

  /** Every record the {@code series} variant decoded must have been a repeat, or it measured something else. */
  @TearDown(Level.Trial)
  public void check() {
    long repeats = series.repeats() - repeatsBefore;
    if (repeats != decoded) {
      throw new IllegalStateException(decoded + " records decoded, " + repeats + " of them as repeats");
    }
  }
}
