package dev.tributary.sidecar.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.Counter;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import dev.tributary.sidecar.ConsumeLoop;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SaslMechanism;
import dev.tributary.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The sidecar secured end to end: it consumes from a broker that requires SASL over TLS, configured
 * only by {@code TRIBUTARY_*} environment variables, and serves {@code /metrics} over HTTPS with basic
 * auth to a real Prometheus ({@code basic_auth}, {@code tls_config.ca_file}); wrong scrape credentials
 * get 401, wrong Kafka credentials one clear error.
 */
class SecuredSidecarTest {
  private static final String KAFKA_USER = "sidecar";
  private static final String KAFKA_PASSWORD = "sidecar-Secret-5";
  private static final String SCRAPE_PASSWORD = "scrape-Secret-8";

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.builder().saslUser(KAFKA_USER, KAFKA_PASSWORD).start();
  }

  @AfterAll
  static void closeBroker() {
    broker.close();
  }

  /** The sidecar's environment: every setting as a TRIBUTARY_* variable, Kafka's as TRIBUTARY_KAFKA_*. */
  private static Map<String, String> environment(String prefix, String kafkaPassword) {
    Map<String, String> env = new TreeMap<>();
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, KAFKA_USER, kafkaPassword);
    env.put("TRIBUTARY_BOOTSTRAP_SERVERS", kafka.remove("bootstrap.servers"));
    kafka.forEach((k, v) -> env.put("TRIBUTARY_KAFKA_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
    SidecarHarness.config(broker, prefix).forEach((k, v) -> env.putIfAbsent(
        "TRIBUTARY_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
    TestCertificates tls = TestCertificates.shared();
    env.put("TRIBUTARY_HTTP_TLS_KEYSTORE", tls.serverKeystore().toString());
    env.put("TRIBUTARY_HTTP_TLS_KEYSTORE_PASSWORD", tls.password());
    env.put("TRIBUTARY_HTTP_BASIC_AUTH_USERS",
        "prometheus:" + OpenBSDBCrypt.generate("2y", SCRAPE_PASSWORD.toCharArray(), new byte[16], 6));
    return env;
  }

  private static PrometheusSidecar start(Map<String, String> env) {
    return PrometheusSidecar.create(SidecarConfig.load(PrometheusSidecarKeys.all(), env)).start();
  }

  private static Tributary securedClient(String prefix) {
    Map<String, String> kafka = broker.saslSslClientProperties(SaslMechanism.PLAIN, KAFKA_USER, KAFKA_PASSWORD);
    TributaryBuilder builder = Tributary.builder()
        .bootstrapServers(kafka.remove("bootstrap.servers"))
        .serviceName("payments")
        .instanceId("pay-1")
        .metricsTopic(prefix + ".metrics.events")
        .healthTopic(prefix + ".health.events")
        .logsTopic(prefix + ".logs.events")
        .metricsStep(Duration.ofMillis(200))
        .healthInterval(Duration.ofMillis(200));
    kafka.forEach(builder::producerProperty);
    return builder.build();
  }

  @Test
  void prometheusScrapesOverHttpsWithCredentialsWhatTheSidecarConsumedOverSaslSsl(@TempDir Path dir) throws Exception {
    SidecarHarness.createTopics(broker, "sec", 1);
    try (PrometheusSidecar sidecar = start(environment("sec", KAFKA_PASSWORD));
        Tributary client = securedClient("sec")) {
      String target = sidecar.baseUrl().substring("https://".length());
      assertThat(sidecar.baseUrl()).startsWith("https://");
      Files.writeString(dir.resolve("password"), SCRAPE_PASSWORD);
      Files.writeString(dir.resolve("wrong"), "not-the-password");
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: secured
              honor_labels: true
              scheme: https
              basic_auth: {username: prometheus, password_file: '%s'}
              tls_config: {ca_file: '%s'}
              static_configs: [{targets: ['%s']}]
            - job_name: wrong_password
              # bcrypt checks every wrong password in full (slow by design): give the scrape time.
              scrape_interval: 3s
              scrape_timeout: 3s
              scheme: https
              basic_auth: {username: prometheus, password_file: '%s'}
              tls_config: {ca_file: '%s'}
              static_configs: [{targets: ['%s']}]
          """.formatted(dir.resolve("password"), TestCertificates.shared().caCertificate(), target,
          dir.resolve("wrong"), TestCertificates.shared().caCertificate(), target));
      try (PrometheusServer prometheus = PrometheusServer.start(dir, config)) {
        String api = prometheus.api;
        Counter orders = client.counter("orders").help("Orders taken").build();
        orders.increment(7);

        RealPrometheusTest.awaitValue(api, "orders_total{job=\"secured\",instance=\"pay-1\"}", 7);
        RealPrometheusTest.awaitValue(api, "up{job=\"secured\"}", 1);
        RealPrometheusTest.awaitValue(api, "up{job=\"wrong_password\"}", 0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(lastScrapeError(api, "wrong_password")).contains("401"));
        assertThat(lastScrapeError(api, "secured")).isEmpty();
        String self = SidecarHarness.HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
            + java.net.URLEncoder.encode("{__name__=~\"tributary_sidecar_.*\",job=\"secured\"}", StandardCharsets.UTF_8)))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(self).contains("tributary_sidecar_records_consumed")
            .doesNotContain(KAFKA_PASSWORD, SCRAPE_PASSWORD, TestCertificates.shared().password());
      }
    }
  }

  private static String lastScrapeError(String api, String job) throws Exception {
    HttpResponse<String> r = SidecarHarness.HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/targets")).build(),
        HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : RealPrometheusTest.JSON.readTree(r.body()).path("data").path("activeTargets")) {
      if (target.path("labels").path("job").asText().equals(job)) {
        return target.path("lastError").asText();
      }
    }
    throw new AssertionError("no target of job " + job + " in " + r.body());
  }

  @Test
  void wrongKafkaPasswordGivesOneErrorNamingTheCauseNotARetryStorm() throws Exception {
    SidecarHarness.createTopics(broker, "badpw", 1);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger loopLogger = (Logger) LoggerFactory.getLogger(ConsumeLoop.class);
    loopLogger.addAppender(log);
    try (PrometheusSidecar sidecar = start(environment("badpw", "wrong-kafka-pw"))) {
      String auth = "Basic " + Base64.getEncoder().encodeToString(("prometheus:" + SCRAPE_PASSWORD).getBytes(StandardCharsets.UTF_8));
      java.net.http.HttpClient https = trusting(TestCertificates.shared());
      // Retries happened (each failed poll counts as a batch error) while one error was logged.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> batchErrors(https, sidecar, auth) >= 3);
      assertThat(sidecar.isReady()).isFalse();
      assertThat(sidecar.isAlive()).as("the consume thread survives").isTrue();
    } finally {
      loopLogger.detachAppender(log);
    }
    assertThat(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)))
        .singleElement().satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.ERROR);
          assertThat(e.getFormattedMessage()).contains("Kafka authentication failed", "SCRAM-SHA-512", "kafka.sasl.jaas.config")
              .doesNotContain("wrong-kafka-pw");
        });
  }

  private static java.net.http.HttpClient trusting(TestCertificates tls) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(tls.truststore())) {
      trust.load(in, tls.password().toCharArray());
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return java.net.http.HttpClient.newBuilder().sslContext(context).build();
  }

  private static double batchErrors(java.net.http.HttpClient https, PrometheusSidecar sidecar, String auth) throws Exception {
    String body = https.send(HttpRequest.newBuilder(URI.create(sidecar.baseUrl() + "/metrics")).header("Authorization", auth).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(body).doesNotContain("wrong-kafka-pw", SCRAPE_PASSWORD);
    return body.lines().filter(l -> l.startsWith("tributary_sidecar_batch_errors_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
