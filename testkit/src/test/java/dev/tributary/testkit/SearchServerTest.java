package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchServerTest {

    private static Path distribution(String product, String version) {
        return Path.of(System.getProperty("search.dists.dir", "target/search-dists"), product + "-" + version);
    }

    // Elasticsearch's launcher runs a CLI JVM that forks the server; OpenSearch's does not forward
    // SIGTERM at all: the two shapes of process tree stop() must take down.
    @ParameterizedTest
    @CsvSource({"elasticsearch,elasticsearch8.version,8.19.21,ELASTICSEARCH", "opensearch,opensearch2.version,2.19.6,OPENSEARCH"})
    void startsStopsAndRestartsWithItsData(String product, String versionProperty, String defaultVersion,
            SearchServer.Product expected) throws Exception {
        String version = System.getProperty(versionProperty, defaultVersion);
        HttpClient http = HttpClient.newHttpClient();
        try (SearchServer server = SearchServer.builder(distribution(product, version))
                .javaHome(SearchServer.findJavaHome(17))
                .start()) {
            assertThat(server.product()).isEqualTo(expected);
            assertThat(server.version()).isEqualTo(version);
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.httpPort());
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/probe/_doc/1?refresh=true"))
                    .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                    .contains("http.port=" + server.httpPort()))).isEmpty();

            server.restart();
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/probe/_doc/1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        }
    }

    @Test
    void aDirectoryWithoutADistributionIsRejectedBeforeAnythingStarts(@TempDir Path empty) {
        assertThatThrownBy(() -> SearchServer.builder(empty).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an unpacked Elasticsearch or OpenSearch distribution");
    }

    @Test
    void aJavaHomeWithoutJavaIsRejected(@TempDir Path empty) throws IOException {
        Path fake = Files.createDirectories(empty.resolve("elasticsearch/bin"));
        Files.createFile(fake.resolve("elasticsearch"));
        assertThatThrownBy(() -> SearchServer.builder(fake.getParent()).javaHome(empty).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no bin/java");
    }

    @Test
    void settingsTheKitManagesAreRejected() {
        SearchServer.Builder builder = SearchServer.builder(Path.of("unused"));
        assertThatThrownBy(() -> builder.setting("http.port", "9200")).hasMessage("setting 'http.port' is managed by SearchServer");
        assertThatThrownBy(() -> builder.heap("lots")).hasMessageContaining("heap must be a JVM size");
        assertThatThrownBy(() -> builder.configFile("../escape", Path.of("x"))).hasMessageContaining("must stay inside");
        assertThatThrownBy(() -> builder.user("admin", "short", "superuser")).hasMessage("password must have at least 6 characters");
        assertThatThrownBy(() -> builder.user("admin", "long-enough")).hasMessage("user 'admin' needs at least one role");
    }

    @Test
    void findsAJavaHomeAtLeastAsNewAsAsked() throws IOException {
        Path jdk = SearchServer.findJavaHome(17);
        assertThat(jdk.resolve("bin/java")).isExecutable();
        assertThatThrownBy(() -> SearchServer.findJavaHome(999)).hasMessageContaining("no JDK 999 or later found");
    }
}
