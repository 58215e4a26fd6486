package dev.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The harness still runs end to end; how fast is for the benchmark run, not for this test. */
class LogThroughputHarnessTest {

  @Test
  void quickRunDeliversEveryRecordThroughBothProducers() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LogThroughputHarness.Options options = LogThroughputHarness.Options.parse("--quick", "--records", "5000");

    LogThroughputHarness.Report report =
        LogThroughputHarness.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.runs()).extracting(LogThroughputHarness.Run::mode).containsExactly("bare", "sdk");
    assertThat(report.runs()).allSatisfy(run -> {
      assertThat(run.records()).isEqualTo(5000);
      assertThat(run.dropped()).isZero();
      assertThat(run.failed()).isZero();
    });
    assertThat(report.recordBytes()).isGreaterThanOrEqualTo(250);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("SDK/bare records/s per round:");
  }

  @Test
  void quickCapsTheRunAndUnknownOptionsAreRefused() {
    LogThroughputHarness.Options quick = LogThroughputHarness.Options.parse("--quick");
    assertThat(quick.records()).isEqualTo(20_000);
    assertThat(quick.rounds()).isEqualTo(1);
    assertThat(quick.bufferCapacity()).isEqualTo(dev.tributary.TributaryBuilder.DEFAULT_LOGS_BUFFER_CAPACITY);
    assertThat(LogThroughputHarness.Options.parse("--quick", "--buffer", "0").bufferCapacity()).isGreaterThan(20_000);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> LogThroughputHarness.Options.parse("--recods", "5"))
        .withMessageContaining("--recods");
  }
}
