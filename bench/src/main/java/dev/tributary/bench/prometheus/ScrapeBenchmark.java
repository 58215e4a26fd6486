package dev.tributary.bench.prometheus;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one {@code /metrics} scrape of {@code series} series: the sidecar's {@code SeriesStore}
 * against client_java's own registry holding the same series, both written by client_java's
 * exposition writer (text 0.0.4 or OpenMetrics 1.0, plain or gzip) into a counting sink. Target:
 * the sidecar no slower than client_java. {@link ScrapeHarness} runs this and prints the ratios.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'dev.tributary.bench.prometheus.ScrapeBenchmark'
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 3)
public class ScrapeBenchmark {
  @Param({"100000"})
  public int series;

  @Param({"text", "openmetrics"})
  public String format;

  @Param({"false", "true"})
  public boolean gzip;

  private ScrapeFixture fixture;
  private ExpositionFormatWriter writer;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = ScrapeFixture.of(series);
    writer = fixture.writer(format);
    // Settle the fixture (both sides' 100,000 series) into the old generation now. Otherwise the
    // young collections that copy it fall into whichever benchmark allocates least, late enough to
    // be measured: the sidecar's (29 MB per scrape against client_java's 117 MB) took 100-230 ms
    // pauses in its measured iterations, 1.2x client_java's time for gzipped text.
    System.gc();
  }

  @Benchmark
  public long sidecar() {
    return fixture.scrapeSidecar(writer, gzip);
  }

  @Benchmark
  public long clientJava() {
    return fixture.scrapeClientJava(writer, gzip);
  }
}
