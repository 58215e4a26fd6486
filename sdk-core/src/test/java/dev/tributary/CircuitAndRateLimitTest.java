package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CircuitAndRateLimitTest {

  @Test
  void theCircuitOpensWhileKafkaIsUnreachableAndAProbeClosesItWhenKafkaIsBack() throws Exception {
    int port = FreePorts.find();
    Tributary client = Tributary.builder()
        .bootstrapServers("127.0.0.1:" + port)
        .serviceName("breaker")
        .instanceId("breaker-1")
        .circuitFailureThreshold(3)
        .circuitOpenDuration(Duration.ofSeconds(1))
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1))
        .build();
    try {
      for (int i = 0; i < 10; i++) {
        assertThat(client.sendEvent("breaker", "thing.happened", "e-" + i, Map.of())).isTrue();
      }
      await(client, s -> s.circuit("durable").state() != CircuitState.CLOSED, Duration.ofSeconds(60));
      assertThat(client.stats().circuit("durable").opened()).isPositive();
      try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
        await(client, s -> s.circuit("durable").state() == CircuitState.CLOSED, Duration.ofSeconds(60));
        DeliveryReport report = client.flush(Duration.ofSeconds(30));
        assertThat(report.isComplete()).as(report.toString()).isTrue();
        assertThat(broker.reader().drain("breaker.events", Duration.ofSeconds(1))).hasSize(10);
      }
    } finally {
      client.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void logsOverTheRateLimitAreRefusedAndCountedAndEventsAreNotLimitedByDefault() {
    Tributary client = Tributary.builder()
        .bootstrapServers("127.0.0.1:" + FreePorts.find())
        .serviceName("limited")
        .logsRateLimit(1_000)
        .logsRateBurst(100)
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1))
        .build();
    try {
      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 5_000; i++) {
        accepted += client.sendLog(LogLevel.INFO, "line " + i) ? 1 : 0;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (int i = 0; i < 5_000; i++) {
        assertThat(client.sendEvent("limited", "e", null, null)).isTrue();
      }
      TributaryStats stats = client.stats();
      // The burst, what accrues meanwhile, and at most one extra burst banked while the bucket sat full.
      assertThat(accepted).isBetween(100, 2 * 100 + (int) Math.ceil(seconds * 1_000) + 1);
      assertThat(stats.limited(StreamKind.LOGS)).isEqualTo(5_000 - accepted);
      assertThat(stats.stream(StreamKind.LOGS).rejected()).isEqualTo(5_000 - accepted);
      assertThat(stats.stream(StreamKind.LOGS).accepted()).isEqualTo(accepted);
      assertThat(stats.limited(StreamKind.EVENTS)).isZero();
    } finally {
      client.shutdown(Duration.ZERO);
    }
  }

  @Test
  void aDefaultClientLimitsLogsToTenThousandPerSecondWithABurstOfTwenty() {
    Tributary client = Tributary.builder().bootstrapServers("127.0.0.1:" + FreePorts.find()).serviceName("d")
        .logsBufferCapacity(100_000).build();
    try {
      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 50_000; i++) {
        accepted += client.sendLog(LogLevel.INFO, "x") ? 1 : 0;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(accepted).isBetween(20_000, 2 * 20_000 + (int) Math.ceil(seconds * 10_000) + 1);
      assertThat(client.stats().limited(StreamKind.LOGS)).isEqualTo(50_000 - accepted);
    } finally {
      client.shutdown(Duration.ZERO);
    }
  }

  private static void await(Tributary client, Predicate<TributaryStats> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(client.stats())) {
      assertThat(System.nanoTime() - deadline).as("%s", client.stats()).isNegative();
      Thread.sleep(20);
    }
  }
}
