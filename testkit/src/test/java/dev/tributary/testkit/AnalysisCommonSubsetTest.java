package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analysis components {@link SearchServer} adds to an Elasticsearch distribution without
 * {@code analysis-common}, as the {@code .security} index uses them and as Elasticsearch documents
 * them.
 */
class AnalysisCommonSubsetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SearchServer server;

    @BeforeAll
    static void start() throws Exception {
        String version = System.getProperty("elasticsearch8.version", "8.19.21");
        Path home = Path.of(System.getProperty("search.dists.dir", "target/search-dists"), "elasticsearch-" + version);
        assertThat(home.resolve("modules/analysis-common")).as("the distribution lacks the module").doesNotExist();
        server = SearchServer.builder(home).javaHome(SearchServer.findJavaHome(17)).start();
        assertThat(Files.readString(home.resolve("plugins/tributary-analysis-common-subset/plugin-descriptor.properties")))
                .contains("elasticsearch.version=" + version);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSecurityIndexsEmailAnalyzerSplitsAnAddressIntoItsParts() throws Exception {
        // The .security index's own analysis settings (SecuritySystemIndices in x-pack-security).
        call("PUT", "/emails", """
                {"settings": {"analysis": {
                  "filter": {"email": {"type": "pattern_capture", "preserve_original": true,
                                       "patterns": ["([^@]+)", "(\\\\p{L}+)", "(\\\\d+)", "@(.+)"]}},
                  "analyzer": {"email": {"tokenizer": "uax_url_email", "filter": ["email", "lowercase", "unique"]}}}}}
                """);
        assertThat(tokens("/emails/_analyze", "{\"analyzer\": \"email\", \"text\": \"Jane.Doe42@Example.COM jane.doe42@example.com\"}"))
                .containsExactly("jane.doe42@example.com", "jane.doe42", "jane", "doe", "42", "example.com", "example", "com");
    }

    @Test
    void uniqueOnTheSamePositionKeepsRepeatsAtOtherPositions() throws Exception {
        call("PUT", "/repeats", """
                {"settings": {"analysis": {
                  "filter": {"same_position": {"type": "unique", "only_on_same_position": true}},
                  "analyzer": {
                    "anywhere": {"tokenizer": "uax_url_email", "filter": ["lowercase", "unique"]},
                    "same_position": {"tokenizer": "uax_url_email", "filter": ["lowercase", "same_position"]}}}}}
                """);
        String text = "\"text\": \"a B b a\"";
        assertThat(tokens("/repeats/_analyze", "{\"analyzer\": \"anywhere\", " + text + "}")).containsExactly("a", "b");
        assertThat(tokens("/repeats/_analyze", "{\"analyzer\": \"same_position\", " + text + "}"))
                .containsExactly("a", "b", "b", "a");
    }

    @Test
    void lowercaseWorksInANormalizer() throws Exception {
        call("PUT", "/names", """
                {"settings": {"analysis": {"normalizer": {"folded": {"type": "custom", "filter": ["lowercase"]}}}},
                 "mappings": {"properties": {"name": {"type": "keyword", "normalizer": "folded"}}}}
                """);
        call("PUT", "/names/_doc/1?refresh=true", "{\"name\": \"Tributary-Sidecar\"}");
        JsonNode hits = call("POST", "/names/_search", "{\"query\": {\"term\": {\"name\": \"TRIBUTARY-sidecar\"}}}");
        assertThat(hits.path("hits").path("total").path("value").asInt()).isEqualTo(1);
    }

    private static List<String> tokens(String path, String body) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (JsonNode token : call("POST", path, body).path("tokens")) {
            tokens.add(token.path("token").asText());
        }
        return tokens;
    }

    private static JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }
}
