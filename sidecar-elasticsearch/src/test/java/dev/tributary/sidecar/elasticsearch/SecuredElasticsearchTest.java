package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SearchServer;
import dev.tributary.wire.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The sidecar against Elasticsearch 8.19 with security on: HTTPS with a certificate from a CA the
 * test makes, basic auth as a file-realm user with only the privileges docs/sidecar-elasticsearch.md
 * lists, and an API key. Wrong credentials and an untrusted certificate each stop the sidecar with
 * one error naming the cause; no secret reaches a log line, a toString() or /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredElasticsearchTest {
  private static final String ADMIN_PASSWORD = "admin-Secret-42";
  private static final String SIDECAR_PASSWORD = "sidecar-Secret-17";
  private static final String WRONG_PASSWORD = "not-the-Password-99";
  private static final AtomicInteger TESTS = new AtomicInteger();

  /** The role docs/sidecar-elasticsearch.md tells operators to create. */
  static final String SIDECAR_ROLE = """
      tributary_sidecar:
        cluster: [ "manage_index_templates" ]
        indices:
          - names: [ "logs-*", "events-*" ]
            privileges: [ "create_index", "index", "auto_configure" ]
      """;

  Path dir;
  KafkaBroker broker;
  SearchServer server;
  ElasticsearchTls certs;
  SearchClient admin;
  /** A well-formed key Elasticsearch does not know. */
  final String apiKey = Base64.getEncoder().encodeToString("VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw"
      .getBytes(StandardCharsets.UTF_8));
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  /** The API keys Elasticsearch created for the tests (encoded and secret part). */
  final List<String> createdSecrets = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    dir = Files.createTempDirectory("tributary-secured-es-");
    certs = new ElasticsearchTls(dir);
    Path roles = Files.writeString(dir.resolve("roles.yml"), SIDECAR_ROLE);
    broker = KafkaBroker.start();
    server = Distribution.ELASTICSEARCH_8.server()
        .configFile("certs/http.key", certs.serverKeyPem)
        .configFile("certs/http.pem", certs.serverCertPem)
        .configFile("roles.yml", roles)
        .setting("xpack.security.enabled", "true")
        .setting("xpack.security.http.ssl.enabled", "true")
        .setting("xpack.security.http.ssl.key", "certs/http.key")
        .setting("xpack.security.http.ssl.certificate", "certs/http.pem")
        .user("admin", ADMIN_PASSWORD, "superuser")
        .user("sidecar", SIDECAR_PASSWORD, "tributary_sidecar")
        .start();
    admin = new SearchClient(server.url(), certs.clientContext(), basic("admin", ADMIN_PASSWORD));
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort: under the temporary directory
    }
    assertThat(server).as("the server started").isNotNull();
    // No secret in any log line of the whole class (sidecars, Kafka, the test kit).
    List<String> secrets = new ArrayList<>(List.of(ADMIN_PASSWORD, SIDECAR_PASSWORD, WRONG_PASSWORD, apiKey,
        basic("sidecar", SIDECAR_PASSWORD).substring("Basic ".length()),
        basic("sidecar", WRONG_PASSWORD).substring("Basic ".length())));
    secrets.addAll(createdSecrets);
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      for (String secret : secrets) {
        assertThat(text).as("log line of %s", e.getLoggerName()).doesNotContain(secret);
      }
    }
  }

  @Test
  void basicAuthOverHttpsIndexesWithTheDocumentedPrivileges() throws Exception {
    Map<String, String> c = config();
    c.put("elasticsearch.username", "sidecar");
    c.put("elasticsearch.password", SIDECAR_PASSWORD);
    c.put("elasticsearch.tls.ca.path", certs.caPem.toString());
    String service = indexesThrough(c);
    assertThat(admin.count("logs-" + service + "-*")).isEqualTo(5);
  }

  @Test
  void anUnknownApiKeyStopsTheSidecarWithOneErrorNamingTheCause() throws Exception {
    Map<String, String> c = config();
    c.put("elasticsearch.api.key", apiKey);
    c.put("elasticsearch.tls.ca.path", certs.caPem.toString());
    String failure = stopsWithOneError(c);
    assertThat(failure).startsWith("Elasticsearch rejected the credentials (HTTP 401 to PUT /_component_template/")
        .contains("security_exception");
  }

  @Test
  void anApiKeyOverHttpsIndexesWithTheDocumentedPrivileges() throws Exception {
    // The key an operator creates: the documented role's privileges, nothing more.
    JsonNode key = admin.request("POST", "/_security/api_key", """
        {"name": "tributary-sidecar", "role_descriptors": {"tributary_sidecar": {
          "cluster": ["manage_index_templates"],
          "indices": [{"names": ["logs-*", "events-*"], "privileges": ["create_index", "index", "auto_configure"]}]}}}
        """);
    String encoded = key.path("encoded").asText();
    assertThat(encoded).as("Elasticsearch created the key: %s", key).isNotEmpty();
    createdSecrets.add(encoded);
    createdSecrets.add(key.path("api_key").asText());
    Map<String, String> c = config();
    c.put("elasticsearch.api.key", encoded);
    c.put("elasticsearch.tls.ca.path", certs.caPem.toString());
    String service = indexesThrough(c);
    assertThat(admin.count("logs-" + service + "-*")).isEqualTo(5);
    // The key is what the sidecar had, and it is limited to the documented privileges.
    SearchClient asKey = new SearchClient(server.url(), certs.clientContext(), "ApiKey " + encoded);
    assertThat(asKey.request("GET", "/_security/_authenticate", null).path("api_key").path("name").asText())
        .isEqualTo("tributary-sidecar");
    assertThatThrownBy(() -> asKey.request("PUT", "/other-" + service + "/_doc/1", "{}"))
        .hasMessageContaining("-> 403");
  }

  @Test
  void aWrongPasswordStopsTheSidecarWithOneErrorNamingTheCause() throws Exception {
    Map<String, String> c = config();
    c.put("elasticsearch.username", "sidecar");
    c.put("elasticsearch.password", WRONG_PASSWORD);
    c.put("elasticsearch.tls.ca.path", certs.caPem.toString());
    String failure = stopsWithOneError(c);
    assertThat(failure).startsWith("Elasticsearch rejected the credentials (HTTP 401 to PUT /_component_template/")
        .contains("unable to authenticate user [sidecar]")
        .endsWith("check TRIBUTARY_ELASTICSEARCH_USERNAME and TRIBUTARY_ELASTICSEARCH_PASSWORD, or TRIBUTARY_ELASTICSEARCH_API_KEY");
  }

  @Test
  void anUntrustedCertificateStopsTheSidecarWithOneErrorNamingTheCause() throws Exception {
    Map<String, String> c = config();
    c.put("elasticsearch.api.key", apiKey); // and no CA: the JDK's CAs do not know the test CA
    String failure = stopsWithOneError(c);
    assertThat(failure).startsWith("TLS handshake with " + server.url() + " failed: the server's certificate is not trusted (")
        .endsWith("set TRIBUTARY_ELASTICSEARCH_TLS_CA_PATH (PEM) or TRIBUTARY_ELASTICSEARCH_TLS_TRUSTSTORE_PATH to the CA "
            + "that signed the server's certificate");
  }

  @Test
  void secretsAreNotInTheConfigurationsToString() {
    Map<String, String> c = config();
    c.put("elasticsearch.username", "sidecar");
    c.put("elasticsearch.password", SIDECAR_PASSWORD);
    SidecarConfig basic = SidecarConfig.of(ElasticsearchSettings.keys(), c);
    assertThat(basic.toString()).doesNotContain(SIDECAR_PASSWORD);
    assertThat(new ElasticsearchSettings(basic).toString()).contains("basic auth as sidecar").doesNotContain(SIDECAR_PASSWORD)
        .doesNotContain(basic("sidecar", SIDECAR_PASSWORD).substring(6));
    c.remove("elasticsearch.username");
    c.remove("elasticsearch.password");
    c.put("elasticsearch.api.key", apiKey);
    SidecarConfig key = SidecarConfig.of(ElasticsearchSettings.keys(), c);
    assertThat(key.toString()).doesNotContain(apiKey);
    assertThat(new ElasticsearchSettings(key).toString()).contains("API key").doesNotContain(apiKey);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private Map<String, String> config() {
    String p = "sec" + TESTS.incrementAndGet();
    broker.createTopic(p + "-logs.events", 1);
    Map<String, String> c = new LinkedHashMap<>();
    c.put("bootstrap.servers", broker.bootstrapServers());
    c.put("elasticsearch.url", server.url());
    c.put("group.id", p + "-sidecar");
    c.put("http.port", "0");
    c.put("topics.pattern", p + "-logs\\.events");
    c.put("logs.topic", p + "-logs.events");
    c.put("elasticsearch.index.replicas", "0");
    c.put("shutdown.timeout", "5s");
    return c;
  }

  /** Starts a sidecar, sends 5 logs, waits until the 5 are indexed; checks /metrics holds no secret. */
  private String indexesThrough(Map<String, String> c) throws Exception {
    String topic = c.get("logs.topic");
    String service = topic.replace("-logs.events", "") + "-checkout";
    try (ElasticsearchSidecar sidecar = ElasticsearchSidecar.start(SidecarConfig.of(ElasticsearchSettings.keys(), c));
        KafkaProducer<byte[], byte[]> producer = producer()) {
      Source source = new Source(service, "i-1", null, null, "run-1");
      for (int seq = 1; seq <= 5; seq++) {
        producer.send(SidecarContract.record(topic, SidecarContract.log(source, seq, System.currentTimeMillis(), Map.of())))
            .get();
      }
      await().atMost(SidecarContract.INDEXED_WITHIN).until(() -> admin.count("logs-" + service + "-*") == 5);
      String metrics = SidecarContract.get(sidecar.endpoint() + "/metrics");
      assertThat(metrics).contains("tributary_elasticsearch_documents_indexed_total{kind=\"logs\"} 5.0");
      List<String> secrets = new ArrayList<>(List.of(SIDECAR_PASSWORD, apiKey, basic("sidecar", SIDECAR_PASSWORD).substring(6)));
      secrets.addAll(createdSecrets);
      for (String secret : secrets) {
        assertThat(metrics).doesNotContain(secret);
      }
      assertThat(sidecar.failure()).isEmpty();
    }
    return service;
  }

  /** Starts a sidecar with records waiting; it must stop by itself, logging exactly one error. */
  private String stopsWithOneError(Map<String, String> c) throws Exception {
    String topic = c.get("logs.topic");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      Source source = new Source("refused", "i-1", null, null, "run-1");
      producer.send(SidecarContract.record(topic, SidecarContract.log(source, 1, System.currentTimeMillis(), Map.of()))).get();
    }
    int before = logs.list.size();
    ElasticsearchSidecar sidecar = ElasticsearchSidecar.start(SidecarConfig.of(ElasticsearchSettings.keys(), c));
    try {
      assertThat(sidecar.awaitClosed(Duration.ofSeconds(60))).as("stops by itself, no hang").isTrue();
      assertThat(sidecar.isAlive()).isFalse();
    } finally {
      sidecar.close();
    }
    String failure = sidecar.failure().orElseThrow();
    List<ILoggingEvent> mine = new ArrayList<>(logs.list.subList(before, logs.list.size()));
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (ILoggingEvent e : mine) {
      if (e.getLoggerName().startsWith("dev.tributary") && e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) {
        (e.getLevel() == ch.qos.logback.classic.Level.ERROR ? errors : warnings).add(e.getFormattedMessage());
      }
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith(failure);
    assertThat(warnings).as("no retry warnings").isEmpty();
    return failure;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = new java.util.HashMap<>();
    props.put("bootstrap.servers", broker.bootstrapServers());
    props.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
    props.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
    props.put("linger.ms", 0);
    return new KafkaProducer<>(props);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
