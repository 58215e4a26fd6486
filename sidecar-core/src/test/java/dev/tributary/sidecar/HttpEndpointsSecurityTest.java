package dev.tributary.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testkit.TestCertificates;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTPS and basic auth of the endpoints, configured through the sidecar keys. */
class HttpEndpointsSecurityTest {
  static final String PASSWORD = "scrape-Secret-9";
  /** Cost 4 (the minimum) keeps the test fast; the check is the same at any cost. */
  static final String HASH = OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), new byte[16], 4);

  private HttpEndpoints endpoints;

  @AfterEach
  void stop() {
    if (endpoints != null) {
      endpoints.close();
    }
  }

  private static HttpEndpoints start(Map<String, String> keys) {
    SidecarConfig config = SidecarConfig.of(SidecarConfig.commonKeys(), keys);
    return HttpEndpoints.builder()
        .host(config.get(SidecarConfig.HTTP_HOST))
        .port(config.get(SidecarConfig.HTTP_PORT))
        .security(config)
        .metrics(() -> MetricSnapshots.of(CounterSnapshot.builder().name("orders")
            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(3)
                .labels(Labels.of("service", "shop")).build()).build()))
        .start();
  }

  static Map<String, String> tlsAndAuth() {
    TestCertificates tls = TestCertificates.shared();
    return Map.of("bootstrap.servers", "127.0.0.1:9", "group.id", "g",
        "http.tls.keystore", tls.serverKeystore().toString(),
        "http.tls.keystore.password", tls.password(),
        "http.basic.auth.users", "prometheus:" + HASH + ",other:" + OpenBSDBCrypt.generate("2b", "x".toCharArray(), new byte[16], 4));
  }

  static HttpClient trusting(TestCertificates tls) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.truststore())) {
      trust.load(in, tls.password().toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private HttpResponse<String> get(HttpClient client, String path, String user, String password) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoints.baseUrl() + path));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsWithBasicAuthServesEveryEndpointToTheRightUserOnly() throws Exception {
    endpoints = start(tlsAndAuth());
    HttpClient client = trusting(TestCertificates.shared());

    assertThat(endpoints.baseUrl()).startsWith("https://127.0.0.1:");
    HttpResponse<String> ok = get(client, "/metrics", "prometheus", PASSWORD);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("orders_total{service=\"shop\"} 3.0");
    assertThat(get(client, "/metrics", "prometheus", PASSWORD).statusCode()).as("remembered check").isEqualTo(200);
    for (String path : new String[] {"/metrics", "/health", "/ready"}) {
      HttpResponse<String> none = get(client, path, null, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
          v -> assertThat(v).startsWith("Basic realm=\"tributary\""));
      assertThat(get(client, path, "prometheus", "wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(get(client, path, "nobody", PASSWORD).statusCode()).as(path).isEqualTo(401);
      assertThat(get(client, path, "other", PASSWORD).statusCode()).as("another user's password").isEqualTo(401);
    }
    assertThat(get(client, "/health", "other", "x").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefused() {
    endpoints = start(tlsAndAuth());

    assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "/metrics", "prometheus", PASSWORD))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpByDefault() throws Exception {
    endpoints = start(Map.of("bootstrap.servers", "127.0.0.1:9", "group.id", "g"));

    assertThat(endpoints.baseUrl()).startsWith("http://");
    assertThat(get(HttpClient.newHttpClient(), "/metrics", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void invalidSettingsFailAtStartNamingTheKeyButNeverTheSecret() {
    Map<String, String> notBcrypt = Map.of("bootstrap.servers", "b:1", "group.id", "g",
        "http.basic.auth.users", "prometheus:plain-text-password");
    assertThatThrownBy(() -> start(notBcrypt)).hasMessageContaining("http.basic.auth.users")
        .hasMessageContaining("prometheus").hasMessageNotContaining("plain-text-password");

    TestCertificates tls = TestCertificates.shared();
    Map<String, String> wrongPassword = Map.of("bootstrap.servers", "b:1", "group.id", "g",
        "http.tls.keystore", tls.serverKeystore().toString(), "http.tls.keystore.password", "not-it");
    assertThatThrownBy(() -> start(wrongPassword)).hasMessageContaining(tls.serverKeystore().toString())
        .hasMessageNotContaining("not-it");
  }

  @Test
  void configurationToStringNamesKeysNotSecrets() {
    SidecarConfig config = SidecarConfig.of(SidecarConfig.commonKeys(), Map.of("bootstrap.servers", "b:1",
        "group.id", "g", "http.tls.keystore.password", "ks-secret", "http.basic.auth.users", "p:" + HASH,
        "kafka.sasl.jaas.config", "x required username=\"u\" password=\"jaas-secret\";",
        "kafka.ssl.truststore.password", "ts-secret"));

    assertThat(config.toString()).contains("http.tls.keystore.password", "kafka.sasl.jaas.config")
        .doesNotContain("ks-secret", "jaas-secret", "ts-secret", HASH);
  }
}
