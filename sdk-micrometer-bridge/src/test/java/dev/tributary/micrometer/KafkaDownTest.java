package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tributary.StreamKind;
import dev.tributary.TributaryStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no broker at all the registry builds, records and closes; what it could not deliver is counted. */
class KafkaDownTest {

  @Test
  void brokerDownDoesNotBlockRecordingAndCloseCountsWhatWasNotDelivered() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // free, and nothing listens on it once closed
    }
    Map<String, String> properties = Map.of(
        "tributary.bootstrapServers", "127.0.0.1:" + port,
        "tributary.serviceName", "checkout",
        "tributary.step", "100ms",
        "tributary.closeTimeout", "500ms");
    TributaryMeterRegistry registry = TributaryMeterRegistry.builder(properties::get).build();
    Counter jobs = registry.counter("jobs");
    Timer duration = registry.timer("job.duration");

    assertThatCode(() -> {
      for (int i = 0; i < 10_000; i++) {
        jobs.increment();
        duration.record(Duration.ofMillis(1));
      }
    }).doesNotThrowAnyException();
    registry.close();

    TributaryStats.StreamStats metrics = registry.client().stats().stream(StreamKind.METRICS);
    assertThat(jobs.count()).isEqualTo(10_000);
    assertThat(metrics.accepted()).as("samples accepted into the buffer").isPositive();
    assertThat(metrics.sent()).as("samples acknowledged by Kafka").isZero();
    assertThat(metrics.dropped() + metrics.failed()).as("undelivered samples are counted").isPositive();
  }
}
