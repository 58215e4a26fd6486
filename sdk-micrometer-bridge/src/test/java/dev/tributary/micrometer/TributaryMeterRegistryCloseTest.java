package dev.tributary.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.MetricEnvelope;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The final partial step: published exactly once on close, whoever closes first, with no value
 * lost or doubled across the last periodic step; a shared client stays open, an own client closes.
 */
class TributaryMeterRegistryCloseTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final long T0 = 1795425330123L; // 2026-11-23T09:15:30.123Z
  private static final Duration NO_STEP = Duration.ofHours(1);
  private static final Map<String, String> NO_LABELS = Map.of();

  private static Tributary client(String topic, Duration step) {
    return Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("checkout")
        .instanceId("checkout-1")
        .metricsTopic(topic)
        .metricsStep(step)
        .healthInterval(Duration.ofHours(1))
        .build();
  }

  private static TributaryMeterRegistry registry(Tributary client, Clock clock) {
    return TributaryMeterRegistry.builder(TributaryConfig.sharing(client)).clock(clock).build();
  }

  @Test
  void closePublishesTheFinalStepExactlyOnceAndLeavesASharedClientOpen() {
    String topic = "metrics.close-once";
    Tributary client = client(topic, NO_STEP);
    TributaryMeterRegistry registry = registry(client, new MockClock());
    registry.counter("jobs").increment(5);
    registry.timer("job.duration").record(Duration.ofMillis(250));

    registry.close();
    registry.close();

    // Published by the registry's close, not by the client's (whose step never comes).
    KAFKA.broker().reader().recordsMatching(topic, r -> r.value().contains("\"name\":\"jobs_total\""), 1,
        Duration.ofSeconds(30));
    assertThat(client.sendLog(LogLevel.INFO, "still open")).as("shared client still accepts records").isTrue();
    client.close();
    Published published = Published.drain(KAFKA.broker(), topic);
    assertThat(published.bySeries().keySet()).containsExactlyInAnyOrder(
        "jobs_total{}", "job_duration_seconds{}", "job_duration_seconds_max{}");
    assertThat(published.only("jobs_total", NO_LABELS).value()).isEqualTo(5);
    assertThat(published.only("job_duration_seconds", NO_LABELS).summary())
        .isEqualTo(new MetricEnvelope.Summary(List.of(), 1, 0.25));
  }

  @Test
  void closingTheSharedClientFirstPublishesTheRegistryOnce() {
    String topic = "metrics.client-closed-first";
    Tributary client = client(topic, NO_STEP);
    TributaryMeterRegistry registry = registry(client, new MockClock());
    registry.counter("jobs").increment(7);

    client.close(); // its shutdown collects every registered collector one last time
    registry.close(); // finds its registration already finished: publishes nothing more

    Published published = Published.drain(KAFKA.broker(), topic);
    assertThat(published.bySeries().keySet()).containsExactly("jobs_total{}");
    assertThat(published.only("jobs_total", NO_LABELS).value()).isEqualTo(7);
  }

  @Test
  void anOwnClientIsCreatedFromTheConfigAndClosedWithTheRegistry() {
    String topic = "metrics.own-client";
    MockClock clock = new MockClock();
    clock.add(T0 - clock.wallTime(), TimeUnit.MILLISECONDS);
    Map<String, String> properties = Map.of(
        "tributary.bootstrapServers", KAFKA.broker().bootstrapServers(),
        "tributary.serviceName", "billing",
        "tributary.instanceId", "billing-7",
        "tributary.topic", topic,
        "tributary.step", "1h");
    TributaryMeterRegistry registry = TributaryMeterRegistry.builder(properties::get).clock(clock).build();
    Counter invoices = registry.counter("invoices", "kind", "monthly");
    invoices.increment(12);
    clock.add(Duration.ofSeconds(2));

    registry.close();

    assertThat(registry.client().sendLog(LogLevel.INFO, "after close")).as("own client is closed").isFalse();
    Published published = Published.drain(KAFKA.broker(), topic);
    MetricEnvelope envelope = published.only("invoices_total", Map.of("kind", "monthly"));
    assertThat(envelope.value()).isEqualTo(12);
    assertThat(envelope.startTimestamp()).isEqualTo(T0);
    assertThat(envelope.timestamp()).as("envelopes are stamped with the registry's clock").isEqualTo(T0 + 2000);
    assertThat(envelope.source().service()).isEqualTo("billing");
    assertThat(envelope.source().instance()).isEqualTo("billing-7");
    assertThat(published.bySeries()).hasSize(1);
  }

  @Test
  void noValueIsLostOrDoubledAcrossTheLastStep() {
    String topic = "metrics.across-steps";
    Tributary client = client(topic, Duration.ofMillis(200));
    TributaryMeterRegistry registry = registry(client, Clock.SYSTEM);
    Counter jobs = registry.counter("jobs");
    Timer duration = registry.timer("job.duration");

    // Three batches, each followed by at least one periodic step, then a last batch that only the
    // final step on close can carry.
    for (int batch = 0; batch < 3; batch++) {
      record(jobs, duration, 100);
      long before = metricsAccepted(client);
      await().atMost(Duration.ofSeconds(20)).until(() -> metricsAccepted(client) > before);
    }
    record(jobs, duration, 100);
    registry.close();
    long closedAt = System.currentTimeMillis();
    // Two more periodic steps and the client's own shutdown: none may publish the registry again.
    for (int step = 0; step < 2; step++) {
      long before = metricsAccepted(client);
      await().atMost(Duration.ofSeconds(20)).until(() -> metricsAccepted(client) > before);
    }

    client.close();
    Published published = Published.drain(KAFKA.broker(), topic);
    List<MetricEnvelope> counts = published.series("jobs_total", NO_LABELS);
    assertThat(counts).as("published after the registry closed")
        .allSatisfy(e -> assertThat(e.timestamp()).isLessThanOrEqualTo(closedAt));
    assertThat(counts).hasSizeGreaterThanOrEqualTo(4);
    assertThat(counts).extracting(MetricEnvelope::value).isSorted();
    assertThat(counts.get(counts.size() - 1).value()).isEqualTo(400);
    List<MetricEnvelope> timings = published.series("job_duration_seconds", NO_LABELS);
    assertThat(timings).extracting(e -> e.summary().count()).isSorted();
    assertThat(timings.get(timings.size() - 1).summary()).isEqualTo(new MetricEnvelope.Summary(List.of(), 400, 0.4));
    assertThat(counts).extracting(MetricEnvelope::startTimestamp).containsOnly(counts.get(0).startTimestamp());
  }

  private static void record(Counter counter, Timer timer, int times) {
    for (int i = 0; i < times; i++) {
      counter.increment();
      timer.record(1, TimeUnit.MILLISECONDS);
    }
  }

  private static long metricsAccepted(Tributary client) {
    return client.stats().stream(StreamKind.METRICS).accepted();
  }
}
