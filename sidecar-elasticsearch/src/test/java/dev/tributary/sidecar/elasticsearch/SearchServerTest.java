package dev.tributary.sidecar.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SearchServerTest {

  // Elasticsearch's launcher runs a CLI JVM that forks the server; OpenSearch's does not forward
  // SIGTERM at all: the two shapes of process tree stop() must take down. (SidecarEndToEndTest
  // restarts every distribution in its outage test.)
  @ParameterizedTest
  @EnumSource(value = SearchServer.Distribution.class, names = {"ELASTICSEARCH_8", "OPENSEARCH_2"})
  void startsStopsAndRestartsWithItsData(SearchServer.Distribution distribution) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (SearchServer server = SearchServer.start(distribution)) {
      HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/probe/_doc/1?refresh=true"))
          .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

      server.stop();
      assertThat(server.isRunning()).isFalse();
      assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(server.url().substring(17))
          && p.info().commandLine().orElse("").contains("http.port"))).isEmpty();

      server.start();
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/probe/_doc/1")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    }
  }
}
