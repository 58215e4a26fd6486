package dev.tributary.bench.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.tributary.wire.MetricEnvelope.MetricKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sidecar-prometheus harnesses still run end to end in --quick mode; no performance assertions. */
class PrometheusHarnessesTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void ingestQuickRunReadsEveryRecordThroughConsumerPerformanceAndTheSidecar() throws Exception {
    IngestHarness.Report report = IngestHarness.run(IngestHarness.Options.parse("--quick", "--records", "5000"), out);

    assertThat(report.records()).isEqualTo(5000);
    assertThat(report.runs()).extracting(IngestHarness.Run::mode).containsExactly("ConsumerPerformance", "sidecar");
    assertThat(report.runs()).allSatisfy(run -> assertThat(run.records()).isEqualTo(5000));
    assertThat(report.ratios()).hasSize(1);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("median sidecar/ConsumerPerformance");
  }

  @Test
  void scrapeQuickRunRendersTheSameSeriesFromBothAndTimesThem() throws Exception {
    ScrapeHarness.Report report = ScrapeHarness.run(ScrapeHarness.Options.parse("--quick"), out);

    assertThat(report.sizes()).hasSize(2).allSatisfy(size -> {
      assertThat(size.sidecarSamples()).isEqualTo(size.clientJavaSamples()).isPositive();
      assertThat(size.sidecarBytes()).isEqualTo(size.clientJavaBytes());
    });
    assertThat(report.timings()).extracting(ScrapeHarness.Timing::format).containsExactly("text", "openmetrics");
  }

  @Test
  void heapQuickRunMeasuresEveryKindForBoth() {
    var rows = HeapPerSeriesHarness.run(HeapPerSeriesHarness.Options.parse("--quick"), out);

    assertThat(rows).extracting(HeapPerSeriesHarness.Row::kind)
        .containsExactly(MetricKind.COUNTER, MetricKind.GAUGE, MetricKind.HISTOGRAM);
    assertThat(rows).allSatisfy(row -> assertThat(row.series()).isEqualTo(2000));
  }

  @Test
  void unknownOptionsAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> IngestHarness.Options.parse("--record", "5"))
        .withMessageContaining("--record");
    assertThatIllegalArgumentException().isThrownBy(() -> ScrapeHarness.Options.parse("--serie", "5"))
        .withMessageContaining("--serie");
    assertThatIllegalArgumentException().isThrownBy(() -> HeapPerSeriesHarness.Options.parse("--series", "1500"))
        .withMessageContaining("1000");
  }
}
