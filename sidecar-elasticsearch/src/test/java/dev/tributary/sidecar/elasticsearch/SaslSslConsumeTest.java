package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tributary.LogLevel;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SaslMechanism;
import dev.tributary.testkit.SearchServer;
import dev.tributary.wire.Envelope;
import dev.tributary.wire.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The sidecar consumes from a broker that requires SASL (SCRAM-SHA-512) over TLS, configured only by
 * {@code TRIBUTARY_*} environment variables as an operator would, and indexes exactly what the SDK
 * published over SASL_SSL into a real Elasticsearch 8.19. A wrong Kafka password gives one error
 * naming the cause, not a retry storm, and indexes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaslSslConsumeTest {
  private static final String USER = "es-sidecar";
  private static final String PASSWORD = "es-Sidecar-Secret-3";
  private static final String WRONG_PASSWORD = "not-the-Kafka-Password-7";

  KafkaBroker broker;
  SearchServer server;
  SearchClient search;

  @BeforeAll
  void start() {
    broker = KafkaBroker.builder().saslUser(USER, PASSWORD).start();
    server = Distribution.ELASTICSEARCH_8.start();
    search = new SearchClient(server.url());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** The sidecar's environment: its settings as TRIBUTARY_*, Kafka's client properties as TRIBUTARY_KAFKA_*. */
  private Map<String, String> environment(String prefix, String password) {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, USER, password);
    assertThat(kafka).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    Map<String, String> env = new TreeMap<>();
    env.put("TRIBUTARY_BOOTSTRAP_SERVERS", kafka.remove("bootstrap.servers"));
    kafka.forEach((k, v) -> env.put("TRIBUTARY_KAFKA_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
    env.put("TRIBUTARY_ELASTICSEARCH_URL", server.url());
    env.put("TRIBUTARY_GROUP_ID", prefix + "-sidecar");
    env.put("TRIBUTARY_HTTP_PORT", "0");
    env.put("TRIBUTARY_TOPICS_PATTERN", prefix + "-logs\\.events");
    env.put("TRIBUTARY_LOGS_TOPIC", prefix + "-logs.events");
    env.put("TRIBUTARY_ELASTICSEARCH_INDEX_REPLICAS", "0");
    env.put("TRIBUTARY_SHUTDOWN_TIMEOUT", "5s");
    return env;
  }

  private static ElasticsearchSidecar startSidecar(Map<String, String> env) {
    return ElasticsearchSidecar.start(SidecarConfig.load(ElasticsearchSettings.keys(), env));
  }

  /** The SDK as an application would configure it for the same broker: SCRAM-SHA-512 over TLS. */
  private Tributary securedClient(String prefix) {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, USER, PASSWORD);
    TributaryBuilder builder = Tributary.builder()
        .bootstrapServers(kafka.remove("bootstrap.servers"))
        .serviceName(prefix + "-checkout")
        .instanceId("i-1")
        .logsTopic(prefix + "-logs.events")
        .metricsTopic(prefix + "-metrics.events")
        .healthTopic(prefix + "-health.events");
    kafka.forEach(builder::producerProperty);
    return builder.build();
  }

  @Test
  void logsPublishedOverSaslSslAreIndexedExactlyOnceBySidecarConsumingOverSaslSsl() throws Exception {
    String prefix = "sasl";
    String topic = prefix + "-logs.events";
    String pattern = "logs-" + prefix + "-checkout-*";
    broker.createTopic(topic, 2);
    try (Tributary client = securedClient(prefix)) {
      for (int i = 0; i < 7; i++) {
        client.sendLog(LogLevel.INFO, "order " + i + " paid", Map.of("i", i));
      }
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).as("the SDK delivered over SASL_SSL").isTrue();
    }
    // The kit reads over PLAINTEXT: what reached the topic, by identity (the document id).
    Set<String> published = new HashSet<>();
    for (ConsumerRecord<String, String> r : broker.reader().records(topic, 7, Duration.ofSeconds(30))) {
      Envelope e = EnvelopeCodec.create().decode(r.value().getBytes(StandardCharsets.UTF_8));
      published.add(e.identity());
    }
    assertThat(published).hasSize(7);

    try (ElasticsearchSidecar sidecar = startSidecar(environment(prefix, PASSWORD))) {
      await().atMost(SidecarContract.INDEXED_WITHIN).until(() -> search.count(pattern) == 7);
      assertThat(search.ids(pattern).keySet()).isEqualTo(published);
      assertThat(SidecarContract.metric(sidecar, "tributary_elasticsearch_documents_indexed_total{kind=\"logs\"}"))
          .isEqualTo(7.0);
      assertThat(SidecarContract.metric(sidecar, "tributary_sidecar_batch_errors_total")).isZero();
      assertThat(sidecar.failure()).isEmpty();
    }
  }

  @Test
  void aWrongKafkaPasswordGivesOneErrorNamingTheCauseAndIndexesNothing() throws Exception {
    String prefix = "badpw";
    broker.createTopic(prefix + "-logs.events", 1);
    try (Tributary client = securedClient(prefix)) {
      client.sendLog(LogLevel.INFO, "waiting for a sidecar with the right password");
      assertThat(client.flush(Duration.ofSeconds(30)).isComplete()).isTrue();
    }
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try (ElasticsearchSidecar sidecar = startSidecar(environment(prefix, WRONG_PASSWORD))) {
      // Polls are retried with back-off (each failed poll counts as a batch error) while one error is logged.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> SidecarContract.metric(sidecar, "tributary_sidecar_batch_errors_total") >= 3);
      assertThat(sidecar.isAlive()).as("the consume thread survives, so a fixed broker side resumes it").isTrue();
      assertThat(SidecarContract.metric(sidecar, "tributary_elasticsearch_documents_indexed_total{kind=\"logs\"}"))
          .isZero();
      assertThat(search.count("logs-" + prefix + "-checkout-*")).isZero();
    } finally {
      root.detachAppender(logs);
    }
    List<ILoggingEvent> ours = logs.list.stream()
        .filter(e -> e.getLoggerName().startsWith("dev.tributary") && e.getLevel().isGreaterOrEqual(Level.WARN))
        .collect(Collectors.toList());
    assertThat(ours).as("one error, no retry warnings").singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.ERROR);
      assertThat(e.getFormattedMessage()).contains("Kafka authentication failed", "SCRAM-SHA-512",
          "kafka.sasl.jaas.config");
    });
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      assertThat(text).as("log line of %s", e.getLoggerName()).doesNotContain(WRONG_PASSWORD, PASSWORD);
    }
  }
}
