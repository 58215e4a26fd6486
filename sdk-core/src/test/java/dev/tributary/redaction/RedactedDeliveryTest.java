package dev.tributary.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import dev.tributary.internal.ConfigKeys;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What reaches Kafka is redacted: log message, labels, fields, exception text, event attributes. */
class RedactedDeliveryTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CARD = "4111 1111 1111 1111";

  private static TributaryBuilder base(String service) {
    return Tributary.builder()
        .bootstrapServers(KAFKA.broker().bootstrapServers())
        .serviceName(service)
        .instanceId(service + "-1")
        .logsTopic(service + ".logs")
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1));
  }

  @Test
  void logsAndEventsLeaveTheProcessRedacted() {
    try (Tributary client = base("shop").redaction(r -> r.fieldNames("password").pattern("secret-\\w+")).build()) {
      Exception error = new IllegalStateException("charge of card " + CARD + " for jane@example.com failed",
          new RuntimeException("token secret-abc123 rejected"));
      client.sendLog(LogEntry.builder(LogLevel.ERROR, "payment by jane@example.com with " + CARD)
          .label("customer", "jane@example.com")
          .fields(Map.of("password", "hunter2", "note", "secret-xyz", "amount", 12))
          .error(error)
          .build());
      client.sendEvent("shop", "paid", "order-1", Map.of("card", "4111111111111111", "email", "jane@example.com",
          "items", 3));
      assertThat(client.flush(WAIT).isComplete()).isTrue();
    }
    String log = KAFKA.broker().reader().records("shop.logs", 1, WAIT).get(0).value();
    String event = KAFKA.broker().reader().records("shop.events", 1, WAIT).get(0).value();

    assertThat(log).doesNotContain("jane@example.com", "4111", "hunter2", "secret-xyz", "secret-abc123")
        .contains("\"message\":\"payment by [REDACTED] with [REDACTED]\"")
        .contains("\"customer\":\"[REDACTED]\"", "\"password\":\"[REDACTED]\"", "\"amount\":12")
        .contains("charge of card [REDACTED] for [REDACTED] failed", "token [REDACTED] rejected");
    assertThat(event).doesNotContain("jane@example.com", "4111")
        .contains("\"card\":\"[REDACTED]\"", "\"email\":\"[REDACTED]\"", "\"items\":3");
  }

  @Test
  void aFieldWhoseToStringThrowsDoesNotCostTheRecord() {
    try (Tributary client = base("lazy").build()) {
      assertThat(client.sendLog(LogLevel.INFO, "order placed",
          Map.of("order", RedactionTest.unreadable("not loaded"), "items", 3))).isTrue();
      assertThat(client.flush(WAIT).isComplete()).isTrue();
      assertThat(client.stats().stream(dev.tributary.StreamKind.LOGS).rejected()).isZero();
    }
    assertThat(KAFKA.broker().reader().records("lazy.logs", 1, WAIT).get(0).value())
        .contains("\"message\":\"order placed\"", "\"order\":\"[REDACTED]\"", "\"items\":3");
  }

  @Test
  void rulesComeFromTheEnvironmentToo() {
    TributaryBuilder builder = base("envshop");
    ConfigKeys.applyEnvironment(builder, Map.of(
        "TRIBUTARY_REDACTION_BUILTIN", "email",
        "TRIBUTARY_REDACTION_FIELDS", "token, pin",
        "TRIBUTARY_REDACTION_PATTERN_IBAN", "\\bDE\\d{20}\\b",
        "TRIBUTARY_REDACTION_REPLACEMENT", "<hidden>"), new Properties());
    try (Tributary client = builder.build()) {
      client.sendLog(LogLevel.INFO, "to DE89370400440532013000 from a@b.io card 4111111111111111",
          Map.of("pin", "1234", "token", "t"));
      assertThat(client.flush(WAIT).isComplete()).isTrue();
    }
    String log = KAFKA.broker().reader().records("envshop.logs", 1, WAIT).get(0).value();

    assertThat(log).contains("\"message\":\"to <hidden> from <hidden> card 4111111111111111\"",
        "\"pin\":\"<hidden>\"", "\"token\":\"<hidden>\"");
  }

  @Test
  void noneShipsEverythingAsGiven() {
    try (Tributary client = base("plain").redaction(Redaction.none()).build()) {
      client.sendLog(LogLevel.INFO, "card " + CARD + " of a@b.io");
      assertThat(client.flush(WAIT).isComplete()).isTrue();
    }
    assertThat(KAFKA.broker().reader().records("plain.logs", 1, WAIT).get(0).value())
        .contains("card " + CARD + " of a@b.io");
  }
}
