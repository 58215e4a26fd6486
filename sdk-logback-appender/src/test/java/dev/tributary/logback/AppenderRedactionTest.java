package dev.tributary.logback;

import static dev.tributary.logback.LogbackContexts.appender;
import static dev.tributary.logback.LogbackContexts.configure;
import static dev.tributary.logback.LogbackContexts.fallback;
import static dev.tributary.logback.LogbackContexts.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/** Redaction rules from {@code logback.xml}, applied to what the appender's own client delivers. */
class AppenderRedactionTest {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CARD = "4111 1111 1111 1111";

  private LoggerContext context;

  @AfterEach
  void stopContext() {
    MDC.clear();
    if (context != null) {
      context.stop();
    }
  }

  @Test
  void fieldRulesPatternsBuiltinAndReplacementFromLogbackXmlRedactTheDeliveredEnvelope() throws IOException {
    context = configure(AppenderXml.withFallback(AppenderXml.client("payments", "logs.redacted", """
        <redactionBuiltin>card</redactionBuiltin>
        <redactionFields>apiKey, cvv</redactionFields>
        <redactionPattern>token=tok_[A-Za-z0-9]{8,}</redactionPattern>
        <redactionPattern>iban=\\bDE\\d{20}\\b</redactionPattern>
        <redactionReplacement>***</redactionReplacement>
        """)), Map.of("bootstrap", KAFKA.broker().bootstrapServers()));
    assertThat(statuses(context, Status.WARN)).as("configuration problems").isEmpty();
    TributaryAppender appender = appender(context, "TRIBUTARY");
    assertThat(appender.getRedactionBuiltin()).isEqualTo("card");
    assertThat(appender.getRedactionFields()).isEqualTo("apiKey, cvv");
    assertThat(appender.getRedactionPatterns()).containsExactly(
        Map.entry("token", "tok_[A-Za-z0-9]{8,}"), Map.entry("iban", "\\bDE\\d{20}\\b"));
    assertThat(appender.getRedactionReplacement()).isEqualTo("***");

    MDC.put("api_key", "sk_live_51Hc2e");
    MDC.put("tenant", "acme");
    MDC.put("note", "card " + CARD + " via tok_9fKq2LmZ77");
    context.getLogger("com.acme.payments.Charge").atInfo()
        .addKeyValue("cvv", 123)
        .addKeyValue("payer", "jane@example.com pays from DE89370400440532013000")
        .addKeyValue("card", 4111111111111111L)
        .addKeyValue("order_id", "A-1")
        .log("charging {} with token {} for jane@example.com", CARD, "tok_AbCdEf123456");

    JsonNode e = KAFKA.broker().reader().envelopes("logs.redacted", 1, WAIT).get(0);
    assertThat(e.path("message").asText()).isEqualTo("charging *** with token *** for jane@example.com");
    assertThat(e.path("labels")).isEqualTo(JSON.readTree(
        "{\"api_key\":\"***\",\"tenant\":\"acme\",\"note\":\"card *** via ***\"}"));
    assertThat(e.path("fields")).isEqualTo(JSON.readTree(
        "{\"cvv\":\"***\",\"payer\":\"jane@example.com pays from ***\",\"card\":\"***\",\"order_id\":\"A-1\"}"));
    assertThat(e.toString()).doesNotContain("4111", "sk_live", "tok_", "DE8937");
  }

  @Test
  void redactionSettingsBesideASharedClientAreReportedAsNotApplied() {
    context = configure(AppenderXml.withFallback("""
        <clientRef>shared-redaction-test</clientRef>
        <redactionFields>cvv</redactionFields>
        """), Map.of());

    assertThat(statuses(context, Status.WARN)).containsExactly(
        "TributaryAppender[TRIBUTARY]: clientRef is set: the redaction settings in this appender's configuration"
            + " do not apply; the shared client redacts with the rules it was built with");
  }

  @Test
  void anUnusableRedactionPatternStopsShippingAndIsReportedThroughTheStatusSystem() {
    context = configure(AppenderXml.withFallback(AppenderXml.client("payments", "logs.never", """
        <redactionPattern>\\bDE\\d{20}\\b</redactionPattern>
        <redactionPattern>iban=[</redactionPattern>
        """)), Map.of("bootstrap", KAFKA.broker().bootstrapServers()));
    TributaryAppender appender = appender(context, "TRIBUTARY");

    assertThat(statuses(context, Status.ERROR)).containsExactly(
        "TributaryAppender[TRIBUTARY]: cannot build the Tributary client: redactionPattern must be name=regex"
            + " (a name of letters, digits, _ or -), was '\\bDE\\d{20}\\b'; no event will be shipped, events go to"
            + " the fallback appenders only");
    context.getLogger("com.acme.App").info("card " + CARD);
    assertThat(fallback(appender, "FALLBACK").messages()).containsExactly("card " + CARD);
    assertThat(appender.getShippedCount()).isZero();

    context.stop();
    context = configure(AppenderXml.withFallback(AppenderXml.client("payments", "logs.never", """
        <redactionPattern>iban=[</redactionPattern>
        """)), Map.of("bootstrap", KAFKA.broker().bootstrapServers()));
    assertThat(statuses(context, Status.ERROR)).singleElement().asString().startsWith(
        "TributaryAppender[TRIBUTARY]: cannot build the Tributary client: redaction pattern '[' is invalid: ");
  }
}
