package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShutdownTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  @Test
  void closeDeliversEverythingBufferedWhileTheBrokerIsUp() {
    Tributary client = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("closer")
        .instanceId("closer-1")
        .logsBufferCapacity(50_000)
        .eventsBufferCapacity(50_000)
        .build();
    for (int i = 0; i < 20_000; i++) {
      client.sendLog(LogLevel.INFO, "line " + i);
    }
    for (int i = 0; i < 2_000; i++) {
      client.sendEvent("shutdown", "item.created", "item-" + i, Map.of("i", i));
    }
    DeliveryReport report = client.shutdown(Duration.ofSeconds(30));

    assertThat(report.isComplete()).as(report.toString()).isTrue();
    assertThat(KAFKA.broker().reader().drain("logs.events", Duration.ofSeconds(1))).hasSize(20_000);
    assertThat(KAFKA.broker().reader().drain("shutdown.events", Duration.ofSeconds(1))).hasSize(2_000);
    assertThat(client.stats().stream(StreamKind.LOGS).sent()).isEqualTo(20_000);
    assertThat(client.stats().stream(StreamKind.EVENTS).sent()).isEqualTo(2_000);
  }

  @Test
  void closeReportsWhatItCouldNotDeliverWithinTheGracePeriodWhenTheBrokerIsDown() {
    Tributary client = Tributary.builder()
        .bootstrapServers("127.0.0.1:" + FreePorts.find())
        .serviceName("stranded")
        .instanceId("stranded-1")
        .build();
    for (int i = 0; i < 500; i++) {
      client.sendLog(LogLevel.WARN, "nobody hears " + i);
    }
    for (int i = 0; i < 30; i++) {
      client.sendEvent("stranded", "thing.happened", "t-" + i, null);
    }
    long start = System.nanoTime();
    DeliveryReport report = client.shutdown(Duration.ofMillis(500));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(report.undelivered(StreamKind.LOGS)).isEqualTo(500);
    assertThat(report.undelivered(StreamKind.EVENTS)).isEqualTo(30);
    // The final metrics step and the final DOWN heartbeat could not go out either.
    assertThat(report.undelivered(StreamKind.HEALTH)).isPositive();
    assertThat(report.undelivered(StreamKind.METRICS)).isPositive();
    assertThat(tookMillis).as("shutdown is bounded by its grace period").isLessThan(5_000);
    TributaryStats.StreamStats logs = client.stats().stream(StreamKind.LOGS);
    assertThat(logs.sent()).isZero();
    assertThat(logs.dropped() + logs.failed()).isEqualTo(500);
  }

  @Test
  void closeIsIdempotentAndLaterCallsAreRejectedAndCounted() {
    Tributary client = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("twice")
        .build();
    DeliveryReport first = client.shutdown(Duration.ofSeconds(10));
    client.close();
    assertThat(client.shutdown(Duration.ofSeconds(10))).isSameAs(first);
    assertThat(client.sendLog(LogLevel.INFO, "too late")).isFalse();
    assertThat(client.sendEvent("twice", "late", null, null)).isFalse();
    assertThat(client.stats().stream(StreamKind.LOGS).rejected()).isEqualTo(1);
    assertThat(client.stats().stream(StreamKind.EVENTS).rejected()).isEqualTo(1);
  }
}
