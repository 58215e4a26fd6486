package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.testkit.KafkaBrokerExtension;
import dev.tributary.wire.Golden;
import dev.tributary.wire.MetricEnvelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every stream end to end through a real broker: what the client publishes must equal the golden
 * examples of docs/wire-format exactly (the run id, random per process, is normalised; so are the
 * metrics stream's sequence numbers, whose order within a step is unspecified).
 */
class ClientRoundTripTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final long T = 1795428930123L; // 2026-11-23T10:15:30.123Z
  private static final long T0 = T - 3_600_000L;
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String CORRELATION_ID = "c0ffee00-1234-4abc-8def-000000000001";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void everyStreamMatchesTheGoldenEnvelopes() throws Exception {
    MutableClock clock = new MutableClock(T0);
    Tributary client = Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName("checkout")
        .instanceId("checkout-7f9c4")
        .serviceVersion("1.4.2")
        .environment("prod")
        .clock(clock)
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofSeconds(60))
        .healthCheck("database", HealthCheck.Result::up)
        .healthCheck("payment-provider", () -> HealthCheck.Result.degraded("p99 latency 2.3 s"))
        .build();

    // Series start at T0.
    client.counter("payments_total").help("Payments processed").labelNames("status", "currency").build()
        .labels("ok", "EUR").increment(1234);
    client.gauge("payment_queue_depth").help("Payments waiting to be processed").build().set(7);
    Histogram.Series latency = client.histogram("payment_processing_seconds").help("Time to process a payment")
        .unit("seconds").labelNames("method").buckets(0.1, 0.5, 1.0).build().labels("card");
    observe(latency, 0.0625, 80);
    observe(latency, 0.25, 35);
    observe(latency, 1.0, 4);
    observe(latency, 4.0, 1);
    client.registerCollector(out -> out.accept(MetricSample.summary("http_server_requests_seconds",
        "HTTP server request latency", "seconds", T0, Map.of("uri", "/payments"),
        new MetricEnvelope.Summary(List.of(new MetricEnvelope.Quantile(0.5, 0.012),
            new MetricEnvelope.Quantile(0.99, Double.NaN)), 0, 0.0))));

    // The first heartbeat goes out at start, stamped T0.
    ConsumerRecord<String, String> heartbeat = KAFKA.broker().reader().records("health.events", 1, WAIT).get(0);
    assertGolden("health.json", heartbeat.value());
    clock.set(T);

    Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    try (Correlation.Scope correlation = Correlation.open(CORRELATION_ID); Scope otel = span.makeCurrent()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("order_id", "A-1001");
      fields.put("amount", 42.5);
      fields.put("items", 3);
      fields.put("express", true);
      client.sendLog(LogEntry.builder(LogLevel.INFO, "Order A-1001 accepted")
          .logger("com.acme.checkout.OrderService")
          .thread("http-nio-8080-exec-3")
          .label("tenant", "acme").label("region", "eu-west-1")
          .fields(fields)
          .tag("AUDIT")
          .build());
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("amount", 42.5);
      attributes.put("currency", "EUR");
      attributes.put("status", "COMPLETED");
      attributes.put("card", Map.of("brand", "visa", "last4", "4242"));
      client.sendEvent("payment", "payment.completed", "pay-000123", attributes);
    }
    client.sendLog(LogEntry.builder(LogLevel.ERROR, "Payment provider call failed")
        .timestamp(T + 5)
        .logger("com.acme.checkout.PaymentClient")
        .thread("worker-1")
        .origin("PaymentClient.java", 88, "charge")
        .error(providerTimeout())
        .build());

    DeliveryReport report = client.shutdown(Duration.ofSeconds(10));
    assertThat(report.isComplete()).as(report.toString()).isTrue();

    List<ConsumerRecord<String, String>> logs = KAFKA.broker().reader().records("logs.events", 2, WAIT);
    assertGolden("log.json", logs.get(0).value());
    assertGolden("log-error.json", logs.get(1).value());
    assertThat(logs.get(0).key()).isNull();
    assertThat(header(logs.get(0), "correlation-id")).isEqualTo(CORRELATION_ID);
    assertThat(header(logs.get(0), "traceparent")).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    assertThat(header(logs.get(0), "content-type")).isEqualTo("application/vnd.tributary.v1+json");
    assertThat(header(logs.get(0), "tributary-schema")).isEqualTo("1.0");
    assertThat(header(logs.get(0), "tributary-type")).isEqualTo("log");
    assertThat(header(logs.get(1), "correlation-id")).isNull();
    assertThat(logs.get(0).timestamp()).isEqualTo(T);

    ConsumerRecord<String, String> event = KAFKA.broker().reader().records("payment.events", 1, WAIT).get(0);
    assertGolden("event.json", event.value());
    assertThat(event.key()).isEqualTo("pay-000123");
    assertThat(header(event, "tributary-type")).isEqualTo("event");
    assertThat(header(event, "correlation-id")).isEqualTo(CORRELATION_ID);

    List<ConsumerRecord<String, String>> health = KAFKA.broker().reader().records("health.events", 2, WAIT);
    assertGolden("health-down.json", health.get(1).value());
    assertThat(health).extracting(ConsumerRecord::key).containsOnly("checkout/checkout-7f9c4");

    List<ConsumerRecord<String, String>> metrics = KAFKA.broker().reader().drain("metrics.events", Duration.ofSeconds(1));
    assertThat(metrics).extracting(ConsumerRecord::key).containsOnly("checkout/checkout-7f9c4");
    assertGolden("metric-counter.json", metric(metrics, "payments_total"));
    assertGolden("metric-gauge.json", metric(metrics, "payment_queue_depth"));
    assertGolden("metric-histogram.json", metric(metrics, "payment_processing_seconds"));
    assertGolden("metric-summary.json", metric(metrics, "http_server_requests_seconds"));
    // The client's own counters ride along: every log accepted was sent.
    assertThat(metric(metrics, "tributary_client_records_total", Map.of("stream", "logs", "outcome", "accepted")))
        .contains("\"value\":2.0");
  }

  private static void observe(Histogram.Series series, double value, int times) {
    for (int i = 0; i < times; i++) {
      series.observe(value);
    }
  }

  /** An exception whose rendered stack trace is the same on every JVM. */
  private static UncheckedIOException providerTimeout() {
    SocketTimeoutException cause = new SocketTimeoutException("Read timed out");
    cause.setStackTrace(new StackTraceElement[] {
        new StackTraceElement(null, "java.base", null, "sun.nio.ch.NioSocketImpl", "timedRead", "NioSocketImpl.java", 278)});
    UncheckedIOException error = new UncheckedIOException(cause);
    error.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("com.acme.checkout.PaymentClient", "charge", "PaymentClient.java", 88)});
    return error;
  }

  private static String metric(List<ConsumerRecord<String, String>> records, String name) {
    return metric(records, name, null);
  }

  private static String metric(List<ConsumerRecord<String, String>> records, String name, Map<String, String> labels) {
    String found = null;
    for (ConsumerRecord<String, String> r : records) {
      JsonNode node = read(r.value());
      if (!node.path("metric").path("name").asText().equals(name)) {
        continue;
      }
      if (labels != null && !labels.entrySet().stream()
          .allMatch(e -> node.path("labels").path(e.getKey()).asText().equals(e.getValue()))) {
        continue;
      }
      assertThat(found).as("a single final sample of %s %s", name, labels).isNull();
      found = r.value();
    }
    assertThat(found).as("a sample of %s %s", name, labels).isNotNull();
    return found;
  }

  private static void assertGolden(String golden, String actual) {
    ObjectNode expected = (ObjectNode) read(new String(Golden.bytes(golden), StandardCharsets.UTF_8));
    ObjectNode got = (ObjectNode) read(actual);
    normalise(expected);
    normalise(got);
    assertThat(got).as("%s%n  actual: %s", golden, actual).isEqualTo(expected);
  }

  private static void normalise(ObjectNode envelope) {
    ObjectNode header = (ObjectNode) envelope.get("tributary");
    header.put("run", "<run>");
    if ("metric".equals(header.path("type").asText())) {
      header.put("seq", 0);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(long millis) {
      this.millis = new AtomicLong(millis);
    }

    void set(long value) {
      millis.set(value);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
