package dev.tributary.bench.prometheus;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scrape of 100k series, sidecar against client_java: response bytes (plain and gzip) per format,
 * then {@link ScrapeBenchmark} through the JMH runner, with the sidecar/client_java time ratio per
 * format. Target: ratio ≤ 1 (no slower).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.tributary.bench.prometheus.ScrapeHarness [--series N] [--quick]
 * </pre>
 *
 * <p>{@code --quick}: 2,000 series, JMH in this JVM with one short iteration (a smoke run, not a
 * measurement).
 */
public final class ScrapeHarness {
  private ScrapeHarness() {}

  record Options(int series, boolean quick) {
    static Options parse(String... args) {
      int series = 100_000;
      boolean quick = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--series" -> series = Integer.parseInt(args[++i]);
          case "--quick" -> {
            quick = true;
            series = 2_000;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--series N, --quick)");
        }
      }
      return new Options(series, quick);
    }
  }

  /** Bytes of one scrape. */
  record Size(String format, long sidecarBytes, long clientJavaBytes, long sidecarGzip, long clientJavaGzip,
      long sidecarSamples, long clientJavaSamples) {}

  /** Mean ms per scrape. */
  record Timing(String format, boolean gzip, double sidecarMs, double sidecarError, double clientJavaMs,
      double clientJavaError) {
    double ratio() {
      return sidecarMs / clientJavaMs;
    }
  }

  record Report(List<Size> sizes, List<Timing> timings) {}

  public static void main(String[] args) throws Exception {
    run(Options.parse(args), System.out);
  }

  static Report run(Options options, PrintStream out) throws RunnerException {
    out.printf("sidecar-prometheus scrape: %,d series, JDK %s, %d cores%n", options.series(),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    ScrapeFixture fixture = ScrapeFixture.of(options.series());
    List<Size> sizes = new ArrayList<>();
    for (String format : List.of("text", "openmetrics")) {
      ExpositionFormatWriter writer = fixture.writer(format);
      String sidecar = render(writer, fixture.store.scrape());
      String clientJava = render(writer, fixture.registry.scrape());
      sizes.add(new Size(format, sidecar.getBytes(StandardCharsets.UTF_8).length,
          clientJava.getBytes(StandardCharsets.UTF_8).length, fixture.scrapeSidecar(writer, true),
          fixture.scrapeClientJava(writer, true), samples(sidecar), samples(clientJava)));
    }
    fixture = null; // the JMH forks build their own
    out.println();
    out.println("| format | sidecar bytes | client_java bytes | ratio | sidecar gzip | client_java gzip | ratio | sample lines (sidecar / client_java) |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---|");
    for (Size s : sizes) {
      out.printf(Locale.ROOT, "| %s | %,d | %,d | %.3f | %,d | %,d | %.3f | %,d / %,d |%n", s.format(), s.sidecarBytes(),
          s.clientJavaBytes(), (double) s.sidecarBytes() / s.clientJavaBytes(), s.sidecarGzip(), s.clientJavaGzip(),
          (double) s.sidecarGzip() / s.clientJavaGzip(), s.sidecarSamples(), s.clientJavaSamples());
    }

    ChainedOptionsBuilder jmh = new OptionsBuilder()
        .include(ScrapeBenchmark.class.getName() + "\\.")
        .param("series", Integer.toString(options.series()))
        .timeUnit(TimeUnit.MILLISECONDS);
    if (options.quick()) {
      // A smoke run in this JVM: it must not wait for (or refuse to run beside) a real JMH run.
      System.setProperty("jmh.ignoreLock", "true");
      jmh.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100)).measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(100)).param("gzip", "false");
    }
    Collection<RunResult> results = new Runner(jmh.build()).run();
    List<Timing> timings = new ArrayList<>();
    for (String format : List.of("text", "openmetrics")) {
      for (boolean gzip : List.of(false, true)) {
        RunResult sidecar = find(results, "sidecar", format, gzip);
        RunResult clientJava = find(results, "clientJava", format, gzip);
        if (sidecar != null && clientJava != null) {
          timings.add(new Timing(format, gzip, sidecar.getPrimaryResult().getScore(),
              sidecar.getPrimaryResult().getScoreError(), clientJava.getPrimaryResult().getScore(),
              clientJava.getPrimaryResult().getScoreError()));
        }
      }
    }
    out.println();
    out.printf("ms per scrape of %,d series (JMH AverageTime, mean ± 99.9%% CI):%n", options.series());
    out.println("| format | gzip | sidecar ms | client_java ms | sidecar/client_java | target ≤ 1 |");
    out.println("|---|---|---:|---:|---:|---|");
    for (Timing t : timings) {
      out.printf(Locale.ROOT, "| %s | %s | %.1f ± %.1f | %.1f ± %.1f | %.2f | %s |%n", t.format(), t.gzip() ? "yes" : "no",
          t.sidecarMs(), t.sidecarError(), t.clientJavaMs(), t.clientJavaError(), t.ratio(),
          t.ratio() <= 1 ? "met" : "missed");
    }
    return new Report(sizes, timings);
  }

  private static RunResult find(Collection<RunResult> results, String method, String format, boolean gzip) {
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("." + method) && r.getParams().getParam("format").equals(format)
          && Boolean.parseBoolean(r.getParams().getParam("gzip")) == gzip) {
        return r;
      }
    }
    return null;
  }

  private static String render(ExpositionFormatWriter writer, io.prometheus.metrics.model.snapshots.MetricSnapshots s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try {
      writer.write(bytes, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static long samples(String exposition) {
    return exposition.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
  }
}
