package dev.tributary.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  static final String TEXT = """
      # HELP orders_total Orders taken
      # TYPE orders_total counter
      orders_total{instance="i-1",service="shop"} 3.0
      """;
  static final String OPENMETRICS = """
      # TYPE orders counter
      # HELP orders Orders taken
      orders_total{instance="i-1",service="shop"} 3.0
      # EOF
      """;

  final AtomicBoolean live = new AtomicBoolean(true);
  final AtomicBoolean ready = new AtomicBoolean(false);
  final SidecarMetrics self = SidecarMetrics.create();
  final HttpClient client = HttpClient.newHttpClient();
  final HttpEndpoints endpoints = HttpEndpoints.builder()
      .metrics(() -> MetricSnapshots.of(CounterSnapshot.builder().name("orders").help("Orders taken")
          .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(3)
              .labels(Labels.of("service", "shop", "instance", "i-1")).build()).build()))
      .liveness(live::get).readiness(ready::get).selfMetrics(self).start();

  @AfterEach
  void stop() {
    endpoints.close();
  }

  HttpResponse<byte[]> get(String path, String accept, String encoding) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoints.baseUrl() + path));
    if (accept != null) {
      req.header("Accept", accept);
    }
    if (encoding != null) {
      req.header("Accept-Encoding", encoding);
    }
    return client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void bindsToLoopbackByDefault() {
    assertThat(endpoints.baseUrl()).startsWith("http://127.0.0.1:");
  }

  @Test
  void plainAcceptGetsPrometheusText() throws Exception {
    HttpResponse<byte[]> r = get("/metrics", "text/plain;version=0.0.4", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
  }

  @Test
  void openMetricsAcceptGetsOpenMetrics() throws Exception {
    HttpResponse<byte[]> r = get("/metrics",
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", null);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(OPENMETRICS);
  }

  @Test
  void protobufAcceptFallsBackToText() throws Exception {
    HttpResponse<byte[]> r = get("/metrics",
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", null);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
  }

  @Test
  void gzipWhenTheClientAcceptsIt() throws Exception {
    HttpResponse<byte[]> r = get("/metrics", null, "gzip, deflate");
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
    assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(TEXT);

    HttpResponse<byte[]> refused = get("/metrics", null, "gzip;q=0, identity");
    assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
  }

  @Test
  void gzipIsWrittenAtTheConfiguredLevel() throws Exception {
    CounterSnapshot.Builder many = CounterSnapshot.builder().name("requests").help("Requests served");
    for (int i = 0; i < 5_000; i++) {
      many.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(i * 7.25)
          .labels(Labels.of("route", "/api/v1/items/" + i, "service", "shop")).build());
    }
    MetricSnapshots snapshots = MetricSnapshots.of(many.build());
    byte[] plain = null;
    int[] sizes = new int[2];
    int[] levels = {1, 9};
    for (int i = 0; i < levels.length; i++) {
      try (HttpEndpoints e = HttpEndpoints.builder().metrics(() -> snapshots).gzipLevel(levels[i]).start()) {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + "/metrics"))
            .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] body = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
        if (plain != null) {
          assertThat(body).isEqualTo(plain);
        }
        plain = body;
        sizes[i] = r.body().length;
      }
    }
    assertThat(new String(plain, StandardCharsets.UTF_8)).contains("requests_total{route=\"/api/v1/items/4999\",service=\"shop\"}");
    assertThat(sizes[1]).as("level 9 against level 1, bytes").isLessThan(sizes[0]);
    assertThat(SidecarConfig.HTTP_GZIP_LEVEL.defaultValue()).isEqualTo(1);
    assertThatThrownBy(() -> HttpEndpoints.builder().gzipLevel(0)).hasMessage("gzip level must be 1 to 9, was 0");
    assertThatThrownBy(() -> HttpEndpoints.builder().gzipLevel(10)).hasMessage("gzip level must be 1 to 9, was 10");
  }

  @Test
  void healthAndReadyFollowTheirChecks() throws Exception {
    assertThat(get("/health", null, null).statusCode()).isEqualTo(200);
    assertThat(get("/ready", null, null).statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/ready", null, null).statusCode()).isEqualTo(200);
    live.set(false);
    assertThat(get("/health", null, null).statusCode()).isEqualTo(503);
  }

  @Test
  void scrapesAreTimed() throws Exception {
    get("/metrics", null, null);
    String self = new String(io.prometheus.metrics.expositionformats.ExpositionFormats.init()
        .getPrometheusTextFormatWriter().toDebugString(this.self.registry().scrape()));
    assertThat(self).contains("tributary_sidecar_scrape_duration_seconds_count 1");
  }
}
