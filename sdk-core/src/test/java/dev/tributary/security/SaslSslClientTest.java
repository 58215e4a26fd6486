package dev.tributary.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tributary.DeliveryReport;
import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import dev.tributary.internal.ConfigKeys;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SaslMechanism;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The SDK client against a broker that requires SASL over TLS: it delivers when configured through
 * builder properties or {@code TRIBUTARY_KAFKA_*} variables, and wrong credentials or an untrusted
 * certificate give one clear error, never a blocked caller.
 */
class SaslSslClientTest {
  private static final String USER = "svc";
  private static final String PASSWORD = "svc-Secret-1";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static KafkaBroker broker;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger sdkLogger = (Logger) LoggerFactory.getLogger("dev.tributary");

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.builder().saslUser(USER, PASSWORD).start();
  }

  @AfterAll
  static void closeBroker() {
    broker.close();
  }

  @BeforeEach
  void captureSdkLog() {
    log.start();
    sdkLogger.addAppender(log);
  }

  @AfterEach
  void releaseSdkLog() {
    sdkLogger.detachAppender(log);
  }

  private static TributaryBuilder base(String service) {
    return Tributary.builder()
        .serviceName(service)
        .instanceId(service + "-1")
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1))
        .logsTopic(service + ".logs");
  }

  /** Kafka properties as {@code TRIBUTARY_KAFKA_*} variables, as a deployment would set them. */
  static Map<String, String> asEnvironment(Map<String, String> kafka) {
    Map<String, String> env = new TreeMap<>();
    kafka.forEach((k, v) -> env.put("TRIBUTARY_KAFKA_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
    return env;
  }

  @Test
  void plainThroughProducerPropertiesDeliversLogsAndEvents() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.PLAIN, USER, PASSWORD);
    TributaryBuilder builder = base("plainsvc").bootstrapServers(kafka.remove("bootstrap.servers"));
    kafka.forEach(builder::producerProperty);

    deliversLogsAndEvents(builder.build(), "plainsvc");
  }

  @Test
  void scramThroughEnvironmentVariablesDeliversLogsAndEvents() {
    Map<String, String> env = asEnvironment(broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, USER, PASSWORD));
    env.put("TRIBUTARY_BOOTSTRAP_SERVERS", env.remove("TRIBUTARY_KAFKA_BOOTSTRAP_SERVERS"));
    TributaryBuilder builder = base("scramsvc");
    ConfigKeys.applyEnvironment(builder, env, new Properties());

    deliversLogsAndEvents(builder.build(), "scramsvc");
  }

  private void deliversLogsAndEvents(Tributary client, String service) {
    String truststorePassword = broker.certificates().password();
    try (client) {
      assertThat(client.toString()).doesNotContain(PASSWORD, truststorePassword);
      assertThat(client.stats().toString()).doesNotContain(PASSWORD, truststorePassword);
      assertThat(client.sendLog(LogLevel.INFO, "hello over SASL_SSL")).isTrue();
      assertThat(client.sendEvent(service, "created", "e-1", Map.of("amount", 3))).isTrue();
      DeliveryReport report = client.flush(WAIT);
      assertThat(report.isComplete()).as(report.toString()).isTrue();
    }
    List<ConsumerRecord<String, String>> logs = broker.reader().records(service + ".logs", 1, WAIT);
    assertThat(logs.get(0).value()).contains("hello over SASL_SSL");
    List<ConsumerRecord<String, String>> events = broker.reader().records(service + ".events", 1, WAIT);
    assertThat(events.get(0).value()).contains("\"created\"");
    assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
    assertThat(log.list).as("the SDK's own log lines, at every level")
        .noneMatch(e -> e.getFormattedMessage().contains(PASSWORD) || e.getFormattedMessage().contains(truststorePassword));
  }

  @Test
  void wrongPasswordGivesOneAuthenticationErrorAndNeverBlocksTheCaller() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, USER, "wrong-pw");

    List<ILoggingEvent> problems = sendWhileRefused("badpw", kafka);

    assertThat(errors(problems)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
        .contains("Kafka authentication failed").contains("SCRAM-SHA-512").contains("kafka.sasl.jaas.config")
        .doesNotContain("wrong-pw"));
    assertOnlyCircuitWarningsNaming("Kafka authentication failed", problems);
  }

  @Test
  void untrustedCertificateGivesOneTrustErrorAndNeverBlocksTheCaller() {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.PLAIN, USER, PASSWORD);
    kafka.keySet().removeIf(k -> k.startsWith("ssl.truststore.")); // the JDK's CAs never signed the kit's

    List<ILoggingEvent> problems = sendWhileRefused("untrusted", kafka);

    assertThat(errors(problems)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
        .contains("TLS certificate is not trusted").contains("kafka.ssl.truststore.location"));
    assertOnlyCircuitWarningsNaming("the Kafka broker's TLS certificate is not trusted", problems);
  }

  /**
   * Besides the one error: at most a circuit-opened warning per producer, whatever the retries. (On a
   * slow machine the metadata wait may open a circuit before the handshake fails, so the warning
   * names the cause only when the error came first.)
   */
  private static void assertOnlyCircuitWarningsNaming(String cause, List<ILoggingEvent> problems) {
    List<ILoggingEvent> warnings = problems.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSizeLessThanOrEqualTo(2).allSatisfy(e -> assertThat(e.getFormattedMessage())
        .contains("circuit for the").containsAnyOf(cause, "not present in metadata"));
  }

  private static List<ILoggingEvent> errors(List<ILoggingEvent> problems) {
    return problems.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
  }

  /**
   * Sends logs and events to a broker that refuses the client, until both producers' circuits
   * opened twice (the first failures and a failed probe: retries happened), and returns what the SDK
   * logged at WARN or above meanwhile. Every call must return at once.
   */
  private List<ILoggingEvent> sendWhileRefused(String service, Map<String, String> kafka) {
    TributaryBuilder builder = base(service).bootstrapServers(kafka.remove("bootstrap.servers"))
        .circuitOpenDuration(Duration.ofMillis(300))
        .closeTimeout(Duration.ofMillis(200));
    kafka.forEach(builder::producerProperty);
    try (Tributary client = builder.build()) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      long slowest = 0;
      int i = 0;
      while (client.stats().circuit("throughput").opened() < 2 || client.stats().circuit("durable").opened() < 2) {
        assertThat(System.nanoTime() - deadline).as("circuits never re-opened: %s", client.stats()).isNegative();
        long start = System.nanoTime();
        client.sendLog(LogLevel.INFO, "log " + i);
        client.sendEvent(service, "created", "e-" + i++, Map.of());
        slowest = Math.max(slowest, System.nanoTime() - start);
        Thread.onSpinWait();
      }
      // Kafka's max.block.ms (60 s by default) would show here if a caller ever waited on Kafka.
      assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
      assertThat(client.stats().stream(StreamKind.LOGS).sent()).isZero();
    }
    return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> !e.getLoggerName().endsWith("DropReporter")) // the test overfills the buffers on purpose
        .filter(e -> !e.getFormattedMessage().contains("were not delivered before the shutdown")
            && !e.getFormattedMessage().startsWith("Tributary closed"))
        .toList();
  }
}
