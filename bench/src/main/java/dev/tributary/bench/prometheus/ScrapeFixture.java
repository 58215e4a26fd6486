package dev.tributary.bench.prometheus;

import dev.tributary.sidecar.HttpEndpoints;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.MetricEnvelope;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * The same series twice: in the sidecar's {@code SeriesStore} (filled through the wire codec, as
 * the consume path fills it) and in a client_java {@link PrometheusRegistry}. A scrape of either is
 * "collect the snapshots, write them with client_java's writer" into a stream like the one
 * {@code HttpEndpoints} writes to (64 KB buffer, or gzip with a 64 KB buffer). With gzip, each side
 * compresses as its own HTTP server does: the sidecar with {@code HttpEndpoints.gzip} at the
 * default {@code http.gzip.level} (1), client_java at the JDK's default level (6), as its
 * {@code PrometheusScrapeHandler} does.
 */
final class ScrapeFixture {
  /** The step the series are at (the store holds the newest sample: step 1 after step 0). */
  static final int STEP = 1;
  private static final int BUFFER = 64 * 1024;

  final Workload workload;
  final SidecarStore store;
  final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  private ScrapeFixture(Workload workload, SidecarStore store, PrometheusRegistry registry) {
    this.workload = workload;
    this.store = store;
    this.registry = registry;
  }

  /** {@code series / 100} metrics × 10 instances × 10 routes. */
  static ScrapeFixture of(int series) {
    if (series % 100 != 0 || series <= 0) {
      throw new IllegalArgumentException("series must be a positive multiple of 100, was " + series);
    }
    Workload w = new Workload(series / 100, 10, 10);
    return new ScrapeFixture(w, fill(w, STEP), ClientJavaSeries.registry(w, STEP));
  }

  /** A store with every series of {@code w}, at steps 0 to {@code lastStep}, decoded from the wire. */
  static SidecarStore fill(Workload w, int lastStep) {
    SidecarStore store = new SidecarStore();
    long base = System.currentTimeMillis() - (lastStep + 1) * Workload.STEP_MILLIS;
    EnvelopeCodec codec = EnvelopeCodec.create();
    for (int step = 0; step <= lastStep; step++) {
      ingestStep(store, w, step, base, codec);
    }
    return store;
  }

  /**
   * Ingests one sample of every series of {@code w}, each encoded and decoded by the wire codec
   * first, so the store holds what the consume path would give it (strings fresh from JSON).
   */
  static void ingestStep(SidecarStore store, Workload w, int step, long base, EnvelopeCodec codec) {
    w.forEachSample(step, base, (i, sent) -> {
      MetricEnvelope received = (MetricEnvelope) codec.decode(codec.encode(sent));
      String outcome = store.ingest(received, i % 3);
      if (!outcome.equals("ACCEPTED")) {
        throw new IllegalStateException("the store did not accept " + sent + ": " + outcome);
      }
    });
    if (store.size() != w.series()) {
      throw new IllegalStateException("the store holds " + store.size() + " series, expected " + w.series());
    }
  }

  /** {@code "text"} (Prometheus text 0.0.4) or {@code "openmetrics"} (OpenMetrics 1.0). */
  ExpositionFormatWriter writer(String format) {
    return switch (format) {
      case "text" -> formats.getPrometheusTextFormatWriter();
      case "openmetrics" -> formats.getOpenMetricsTextFormatWriter();
      default -> throw new IllegalArgumentException("format must be text or openmetrics, was " + format);
    };
  }

  /** One sidecar scrape; returns the bytes written to the wire. */
  long scrapeSidecar(ExpositionFormatWriter writer, boolean gzip) {
    return write(writer, store.scrape(), gzip, SIDECAR_GZIP);
  }

  /** One client_java scrape; returns the bytes written to the wire. */
  long scrapeClientJava(ExpositionFormatWriter writer, boolean gzip) {
    return write(writer, registry.scrape(), gzip, CLIENT_JAVA_GZIP);
  }

  /** Wraps the wire in a gzip stream. */
  interface Gzip {
    OutputStream wrap(OutputStream wire) throws IOException;
  }

  static final Gzip SIDECAR_GZIP = wire -> HttpEndpoints.gzip(wire, SidecarConfig.HTTP_GZIP_LEVEL.defaultValue());
  static final Gzip CLIENT_JAVA_GZIP = wire -> new GZIPOutputStream(wire, BUFFER);

  private static long write(ExpositionFormatWriter writer, MetricSnapshots snapshots, boolean gzip, Gzip compression) {
    CountingStream wire = new CountingStream();
    try (OutputStream out = gzip ? compression.wrap(wire) : new BufferedOutputStream(wire, BUFFER)) {
      writer.write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wire.count;
  }

  /** A sink that counts what it is given, like a socket that is never slow. */
  static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
