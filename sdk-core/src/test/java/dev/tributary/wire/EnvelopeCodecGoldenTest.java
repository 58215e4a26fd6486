package dev.tributary.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden examples in docs/wire-format/examples are exactly what the codec reads and writes. */
class EnvelopeCodecGoldenTest {
  private final EnvelopeCodec codec = EnvelopeCodec.create();

  static Stream<String> goldenNames() {
    return Golden.names().stream();
  }

  @ParameterizedTest
  @MethodSource("goldenNames")
  void decodingThenEncodingAGoldenExampleGivesTheSameBytes(String name) throws Exception {
    byte[] golden = Golden.bytes(name);

    byte[] encoded = codec.encode(codec.decode(golden));

    assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(new String(golden, StandardCharsets.UTF_8));
    assertThat(encoded).isEqualTo(golden);
  }

  @Test
  void theHeaderIdentifiesTheRecord() throws Exception {
    Envelope e = codec.decode(Golden.bytes("metric-counter.json"));

    assertThat(e.timestamp()).isEqualTo(Timestamps.parse("2026-11-23T10:15:30.123Z"));
    assertThat(e.source()).isEqualTo(new Source("checkout", "checkout-7f9c4", "1.4.2", "prod",
        "5f1f2c1e-8a3b-4c1d-9e2f-0a1b2c3d4e5f"));
    assertThat(e.stream()).isEqualTo("metrics");
    assertThat(e.seq()).isEqualTo(101);
    assertThat(e.identity()).isEqualTo("checkout-7f9c4:5f1f2c1e-8a3b-4c1d-9e2f-0a1b2c3d4e5f:metrics:101");
    assertThat(e.source().instanceKey()).isEqualTo("checkout/checkout-7f9c4");
  }

  @Test
  void histogramBucketsAreCumulativeWithTheImplicitInfBucketInCount() throws Exception {
    MetricEnvelope m = (MetricEnvelope) codec.decode(Golden.bytes("metric-histogram.json"));

    assertThat(m.kind()).isEqualTo(MetricEnvelope.MetricKind.HISTOGRAM);
    assertThat(m.unit()).isEqualTo("seconds");
    assertThat(m.histogram().buckets()).containsExactly(
        new MetricEnvelope.Bucket(0.1, 80), new MetricEnvelope.Bucket(0.5, 115), new MetricEnvelope.Bucket(1.0, 119));
    assertThat(m.histogram().count()).isEqualTo(120);
    assertThat(m.histogram().sum()).isEqualTo(21.75);
    assertThat(m.labels()).containsExactly(entry("method", "card"));
    assertThat(m.startTimestamp()).isEqualTo(m.timestamp() - 3_600_000);
  }

  @Test
  void aQuantileWithoutObservationsIsNaN() throws Exception {
    MetricEnvelope m = (MetricEnvelope) codec.decode(Golden.bytes("metric-summary.json"));

    assertThat(m.summary().count()).isZero();
    assertThat(m.summary().sum()).isZero();
    assertThat(m.summary().quantiles()).hasSize(2);
    assertThat(m.summary().quantiles().get(0)).isEqualTo(new MetricEnvelope.Quantile(0.5, 0.012));
    assertThat(m.summary().quantiles().get(1).quantile()).isEqualTo(0.99);
    assertThat(m.summary().quantiles().get(1).value()).isNaN();
    assertThat(m.value()).as("no value for a summary").isNaN();
  }

  @Test
  void counterAndGaugeCarryOneValue() throws Exception {
    MetricEnvelope counter = (MetricEnvelope) codec.decode(Golden.bytes("metric-counter.json"));
    MetricEnvelope gauge = (MetricEnvelope) codec.decode(Golden.bytes("metric-gauge.json"));

    assertThat(counter.value()).isEqualTo(1234.0);
    assertThat(counter.help()).isEqualTo("Payments processed");
    assertThat(counter.labels()).containsExactly(entry("status", "ok"), entry("currency", "EUR"));
    assertThat(gauge.value()).isEqualTo(7.0);
    assertThat(gauge.labels()).isEmpty();
    assertThat(gauge.histogram()).isNull();
    assertThat(gauge.summary()).isNull();
  }

  @Test
  void anErrorLogKeepsTheStackTraceNewlinesAndTheCallerData() throws Exception {
    LogEnvelope log = (LogEnvelope) codec.decode(Golden.bytes("log-error.json"));

    assertThat(log.level()).isEqualTo("ERROR");
    assertThat(log.error().type()).isEqualTo("java.io.UncheckedIOException");
    assertThat(log.error().message()).isEqualTo("java.net.SocketTimeoutException: Read timed out");
    assertThat(log.error().stackTrace())
        .startsWith("java.io.UncheckedIOException: java.net.SocketTimeoutException: Read timed out\n\tat ")
        .contains("\nCaused by: java.net.SocketTimeoutException: Read timed out\n")
        .endsWith("(NioSocketImpl.java:278)\n");
    assertThat(log.error().stackTrace().lines()).hasSize(4);
    assertThat(log.origin()).isEqualTo(new LogEnvelope.LogOrigin("PaymentClient.java", 88, "charge"));
    assertThat(log.thread()).isEqualTo("worker-1");
    assertThat(log.correlationId()).isNull();
    assertThat(log.labels()).isEmpty();
  }

  @Test
  void aLogCarriesContextLabelsTypedFieldsAndTags() throws Exception {
    LogEnvelope log = (LogEnvelope) codec.decode(Golden.bytes("log.json"));

    assertThat(log.message()).isEqualTo("Order A-1001 accepted");
    assertThat(log.logger()).isEqualTo("com.acme.checkout.OrderService");
    assertThat(log.correlationId()).isEqualTo("c0ffee00-1234-4abc-8def-000000000001");
    assertThat(log.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(log.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(log.labels()).containsExactly(entry("tenant", "acme"), entry("region", "eu-west-1"));
    assertThat(log.fields()).containsExactly(
        entry("order_id", "A-1001"), entry("amount", 42.5), entry("items", 3L), entry("express", true));
    assertThat(log.tags()).containsExactly("AUDIT");
    assertThat(log.error()).isNull();
    assertThat(log.origin()).isNull();
  }

  @Test
  void eventAttributesKeepTheirNestingAndJsonTypes() throws Exception {
    EventEnvelope event = (EventEnvelope) codec.decode(Golden.bytes("event.json"));

    assertThat(event.domain()).isEqualTo("payment");
    assertThat(event.name()).isEqualTo("payment.completed");
    assertThat(event.entityId()).isEqualTo("pay-000123");
    assertThat(event.stream()).as("an event's stream is its topic").isEqualTo("payment.events");
    assertThat(event.attributes()).containsExactly(
        entry("amount", 42.5), entry("currency", "EUR"), entry("status", "COMPLETED"),
        entry("card", Map.of("brand", "visa", "last4", "4242")));
    List<Object> cardKeys = List.copyOf(((Map<?, ?>) event.attributes().get("card")).keySet());
    assertThat(cardKeys).as("nested objects keep their order").containsExactly("brand", "last4");
  }

  @Test
  void heartbeatsCarryChecksInOrderAndTheFinalDownHasNoInterval() throws Exception {
    HealthEnvelope up = (HealthEnvelope) codec.decode(Golden.bytes("health.json"));
    HealthEnvelope down = (HealthEnvelope) codec.decode(Golden.bytes("health-down.json"));

    assertThat(up.status()).isEqualTo(HealthEnvelope.Status.DEGRADED);
    assertThat(up.checks()).containsExactly(
        entry("database", new HealthEnvelope.Check(HealthEnvelope.Status.UP, null)),
        entry("payment-provider", new HealthEnvelope.Check(HealthEnvelope.Status.DEGRADED, "p99 latency 2.3 s")));
    assertThat(up.intervalMillis()).isEqualTo(60_000);
    assertThat(up.uptimeMillis()).isZero();
    assertThat(down.status()).isEqualTo(HealthEnvelope.Status.DOWN);
    assertThat(down.intervalMillis()).isZero();
    assertThat(down.uptimeMillis()).isEqualTo(down.timestamp() - down.startedAt());
    assertThat(down.checks()).isEmpty();
    assertThat(down.seq()).isEqualTo(up.seq() + 1);
  }
}
