package dev.tributary.bench.prometheus;

import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.MetricEnvelope.MetricKind;
import dev.tributary.wire.SeriesDecoder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap held per series by the sidecar's {@code SeriesStore}, against client_java's own registry
 * holding the same series: used heap after a full GC (several {@code System.gc()} and a settle,
 * the lowest of 3 samples of {@link MemoryMXBean}) with the structure alive, minus the same before
 * it was built, divided by the series.
 *
 * <pre>
 * java -Xmx6g -cp bench/target/benchmarks.jar dev.tributary.bench.prometheus.HeapPerSeriesHarness
 *      [--series 100000,1000000] [--quick]
 * </pre>
 *
 * <p>Series: 100 metrics of one kind × (N / 1000) instances × 10 routes, labels {@code route},
 * {@code service}, {@code instance}. Histograms have 10 bounds plus {@code +Inf}. The store is
 * measured after the first sample of every series and again after the second (steady state: a
 * running sidecar replaces samples), each sample encoded and decoded by the wire codec as the
 * consume path does; client_java is given label values created once per distinct value, as an
 * application passes its constants. The consume path also keeps the last record of each series in
 * its {@code SeriesDecoder} (the templates that let it read a series' next record by comparing
 * bytes): measured on their own, after one sample of every series.
 */
public final class HeapPerSeriesHarness {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapPerSeriesHarness() {}

  record Options(List<Integer> series, boolean quick) {
    static Options parse(String... args) {
      List<Integer> series = List.of(100_000, 1_000_000);
      boolean quick = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--series" -> {
            List<Integer> s = new ArrayList<>();
            for (String n : args[++i].split(",")) {
              s.add(Integer.parseInt(n.trim()));
            }
            series = List.copyOf(s);
          }
          case "--quick" -> {
            quick = true;
            series = List.of(2_000);
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--series N[,N...], --quick)");
        }
      }
      for (int n : series) {
        if (n <= 0 || n % 1000 != 0) {
          throw new IllegalArgumentException("series must be positive multiples of 1000, was " + n);
        }
      }
      return new Options(series, quick);
    }
  }

  /** Bytes per series of one kind at one size. */
  record Row(MetricKind kind, int series, double storeFirst, double storeSteady, double templates, double clientJava) {
    double ratio() {
      return storeSteady / clientJava;
    }
  }

  public static void main(String[] args) {
    run(Options.parse(args), System.out);
  }

  static List<Row> run(Options options, PrintStream out) {
    out.printf("sidecar-prometheus heap per series: JDK %s, max heap %d MB, GC %s%n", System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
    List<Row> rows = new ArrayList<>();
    for (MetricKind kind : List.of(MetricKind.COUNTER, MetricKind.GAUGE, MetricKind.HISTOGRAM)) {
      for (int n : options.series()) {
        Workload w = new Workload(100, n / 1000, 10, kind);
        long base = System.currentTimeMillis() - 2 * Workload.STEP_MILLIS;
        EnvelopeCodec codec = EnvelopeCodec.create();

        long before = settledUsed();
        SidecarStore store = new SidecarStore();
        ScrapeFixture.ingestStep(store, w, 0, base, codec);
        long first = settledUsed();
        ScrapeFixture.ingestStep(store, w, 1, base, codec);
        long steady = settledUsed();
        Reference.reachabilityFence(store);
        store = null;

        long before3 = settledUsed();
        SeriesDecoder decoder = new SeriesDecoder(codec.newDecoder(), n);
        decodeStep(decoder, w, 1, base, codec);
        long withTemplates = settledUsed();
        Reference.reachabilityFence(decoder);
        decoder = null;

        long before2 = settledUsed();
        PrometheusRegistry registry = ClientJavaSeries.registry(w, 1);
        long withRegistry = settledUsed();
        Reference.reachabilityFence(registry);
        registry = null;

        Row row = new Row(kind, n, (double) (first - before) / n, (double) (steady - before) / n,
            (double) (withTemplates - before3) / n, (double) (withRegistry - before2) / n);
        rows.add(row);
        out.printf(Locale.ROOT, "%s × %,d: store %.0f B/series after one sample, %.0f steady; decoder templates %.0f;"
            + " client_java %.0f%n", kind.wireName(), n, row.storeFirst(), row.storeSteady(), row.templates(), row.clientJava());
      }
    }
    out.println();
    out.println("| kind | series | store, first sample (B/series) | store, steady (B/series) | decoder templates (B/series) "
        + "| client_java (B/series) | store steady / client_java |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s%s | %,d | %.0f | %.0f | %.0f | %.0f | %.2f |%n", r.kind().wireName(),
          r.kind() == MetricKind.HISTOGRAM ? " (" + (Workload.BOUNDS.length + 1) + " buckets)" : "", r.series(),
          r.storeFirst(), r.storeSteady(), r.templates(), r.clientJava(), r.ratio());
    }
    return rows;
  }

  /**
   * Decodes one sample of every series of {@code w} through {@code decoder}, keyed by sender as the
   * SDK keys them: what the sidecar's consume path keeps of them is the decoder's templates.
   */
  static void decodeStep(SeriesDecoder decoder, Workload w, int step, long base, EnvelopeCodec codec) {
    w.forEachSample(step, base,
        (i, e) -> decoder.decode(e.source().instanceKey().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
    if (decoder.size() != w.series()) {
      throw new IllegalStateException("the decoder holds " + decoder.size() + " templates, expected " + w.series());
    }
  }

  /** Used heap after full collections: the lowest of three samples. */
  static long settledUsed() {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      System.runFinalization();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      lowest = Math.min(lowest, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return lowest;
  }
}
