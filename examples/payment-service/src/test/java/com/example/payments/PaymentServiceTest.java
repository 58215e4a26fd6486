package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.Tributary;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PaymentServiceTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String CARD = "4111 1111 1111 1111";
  static final String CARD_DIGITS = "4111111111111111";

  static Tributary client;
  static PaymentService service;

  @BeforeAll
  static void start() {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic(PaymentService.DEFAULT_REQUESTS_TOPIC, 2);
    broker.createTopic("payment.events", 2);
    client = Tributary.builder().bootstrapServers(broker.bootstrapServers()).serviceName(PaymentService.SERVICE_NAME)
        .instanceId("payment-test").metricsStep(Duration.ofSeconds(1)).build();
    service = PaymentService.builder().bootstrapServers(broker.bootstrapServers()).httpPort(0).client(client)
        .metricsStep(Duration.ofSeconds(1)).start();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (client != null) {
      client.close();
    }
  }

  static HttpResponse<String> post(String base, String path, String body, String correlationId) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (correlationId != null) {
      r.header("X-Correlation-ID", correlationId);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPaymentCarriesItsCorrelationIdThroughApiProcessorLogsAndEvents() throws Exception {
    HttpResponse<String> r = post(service.url(), "/payments/single", """
        {"payment_id": "pay-corr-1", "amount": 42.50, "currency": "EUR", "merchant_id": "m-1",
         "card_number": "%s", "description": "paid with card %s"}""".formatted(CARD, CARD), "corr-test-1");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Correlation-ID")).hasValue("corr-test-1");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("payment_ids").get(0).asText()).isEqualTo("pay-corr-1");
    assertThat(body.path("correlation_id").asText()).isEqualTo("corr-test-1");

    List<ConsumerRecord<String, String>> logs = KAFKA.broker().reader().recordsMatching("logs.events",
        rec -> rec.value().contains("pay-corr-1"), 2, WAIT);
    Set<String> loggers = logs.stream().map(rec -> read(rec.value()))
        .peek(log -> assertThat(log.at("/correlation/id").asText()).isEqualTo("corr-test-1"))
        .map(log -> log.at("/log/logger").asText()).collect(Collectors.toSet());
    assertThat(loggers).contains(PaymentApi.class.getName(), PaymentProcessor.class.getName());
    assertThat(logs).allSatisfy(rec -> assertThat(new String(rec.headers().lastHeader("correlation-id").value(),
        StandardCharsets.UTF_8)).isEqualTo("corr-test-1"));

    List<ConsumerRecord<String, String>> events = KAFKA.broker().reader().recordsMatching("payment.events",
        rec -> "pay-corr-1".equals(rec.key()), 2, WAIT);
    assertThat(events).extracting(rec -> read(rec.value()).at("/event/name").asText())
        .contains("payment.received").containsAnyOf("payment.completed", "payment.failed");
    assertThat(events).allSatisfy(rec -> assertThat(read(rec.value()).at("/correlation/id").asText()).isEqualTo("corr-test-1"));
  }

  @Test
  void cardNumbersNeverLeaveTheApiInClear() throws Exception {
    HttpResponse<String> r = post(service.url(), "/payments/batch", """
        {"payments": [
          {"payment_id": "pay-card-1", "amount": 10, "currency": "USD", "merchant_id": "m-2", "card_number": "%s"},
          {"payment_id": "pay-card-2", "amount": 7000, "currency": "USD", "merchant_id": "m-2",
           "card_number": "5555-5555-5555-4444", "description": "backup card 378282246310005"}]}""".formatted(CARD), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // an invalid card is refused without echoing it
    HttpResponse<String> bad = post(service.url(), "/payments/single", """
        {"amount": 10, "currency": "USD", "merchant_id": "m-2", "card_number": "4111111111111112"}""", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).doesNotContain("4111111111111112");

    KAFKA.broker().reader().recordsMatching("payment.events", rec -> "pay-card-2".equals(rec.key())
        && rec.value().contains("payment.declined"), 1, WAIT);
    KAFKA.broker().reader().recordsMatching("logs.events", rec -> rec.value().contains("pay-card-2")
        && rec.value().contains("declined"), 1, WAIT);
    for (String topic : List.of("logs.events", "payment.events", PaymentService.DEFAULT_REQUESTS_TOPIC)) {
      List<ConsumerRecord<String, String>> all = KAFKA.broker().reader().drain(topic, Duration.ofMillis(500));
      assertThat(all).as(topic).isNotEmpty().allSatisfy(rec -> assertThat(rec.value())
          .doesNotContain(CARD_DIGITS).doesNotContain(CARD).doesNotContain("5555-5555-5555-4444")
          .doesNotContain("5555555555554444").doesNotContain("378282246310005").doesNotContain("4111111111111112"));
    }
    assertThat(KAFKA.broker().reader().drain("logs.events", Duration.ofMillis(200)))
        .anySatisfy(rec -> assertThat(rec.value()).contains("pay-card-1").contains("****1111"));
    assertThat(KAFKA.broker().reader().drain("payment.events", Duration.ofMillis(200)))
        .anySatisfy(rec -> assertThat(rec.value()).contains("pay-card-2").contains("backup card ****0005"));
  }

  @Test
  void invalidPaymentsGet400WithTheReasonsAndAreCounted() throws Exception {
    HttpResponse<String> r = post(service.url(), "/payments/single", """
        {"amount": -5, "currency": "XYZ"}""", "corr-invalid");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("error").asText()).isEqualTo("validation_failed");
    assertThat(body.path("correlation_id").asText()).isEqualTo("corr-invalid");
    assertThat(body.path("details").findValuesAsText("reason"))
        .containsExactlyInAnyOrder("invalid_amount", "invalid_currency", "missing_field");

    HttpResponse<String> malformed = post(service.url(), "/payments/batch", "{\"payments\": [", null);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).path("details").get(0).path("reason").asText()).isEqualTo("malformed_json");
    assertThat(malformed.headers().firstValue("X-Correlation-ID")).get().asString().isNotBlank();

    HttpResponse<String> empty = post(service.url(), "/payments/batch", "{\"payments\": []}", null);
    assertThat(JSON.readTree(empty.body()).path("details").get(0).path("reason").asText()).isEqualTo("batch_empty");

    // the counters reach metrics.events: the SDK one and the Micrometer one
    KAFKA.broker().reader().recordsMatching("metrics.events", rec -> {
      JsonNode m = read(rec.value());
      return m.at("/metric/name").asText().equals("payment_validation_failures_total")
          && m.at("/labels/reason").asText().equals("invalid_currency");
    }, 1, WAIT);
    KAFKA.broker().reader().recordsMatching("metrics.events", rec -> {
      JsonNode m = read(rec.value());
      return m.at("/metric/name").asText().equals("payment_api_requests_total")
          && m.at("/labels/status").asText().equals("400") && m.at("/labels/endpoint").asText().equals("single");
    }, 1, WAIT);
  }

  @Test
  void healthAndStatsAnswer() throws Exception {
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
    HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/stats")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(stats.body()).path("api").has("payments_accepted")).isTrue();
    HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/payments/single")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void kafkaDownGives503QuicklyNeverAHang() throws Exception {
    String nowhere = "127.0.0.1:" + FreePorts.find();
    Tributary offline = Tributary.builder().bootstrapServers(nowhere).serviceName(PaymentService.SERVICE_NAME)
        .instanceId("payment-offline").build();
    try (PaymentService down = PaymentService.builder().bootstrapServers(nowhere).httpPort(0).client(offline)
        .consumerGroup("offline").clientRef("payment-offline").kafkaTimeout(Duration.ofSeconds(1)).start()) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = post(down.url(), "/payments/single", """
          {"amount": 1, "currency": "EUR", "merchant_id": "m-3"}""", "corr-down");
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unavailable");
      assertThat(r.headers().firstValue("X-Correlation-ID")).hasValue("corr-down");
      assertThat(millis).as("answered within the Kafka timeout plus slack").isLessThan(5_000);
    } finally {
      offline.shutdown(Duration.ofMillis(100));
    }
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
