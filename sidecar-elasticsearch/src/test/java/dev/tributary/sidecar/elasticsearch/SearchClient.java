package dev.tributary.sidecar.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** Just enough of the search API for assertions: refresh, count, ids per index, mappings. */
final class SearchClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final HttpClient http;
  private final String authorization;

  SearchClient(String url) {
    this(url, null, null);
  }

  /** A client of a secured server: trusting {@code ssl} (null: the JDK's CAs), sending {@code authorization} (or none). */
  SearchClient(String url, SSLContext ssl, String authorization) {
    this.url = url;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
    this.authorization = authorization;
  }

  JsonNode request(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body != null) {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode node = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
      if (r.statusCode() >= 300 && r.statusCode() != 404) {
        throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
      }
      return node;
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Documents in the indices matching {@code pattern}, after a refresh; 0 if none exist (or the server is down). */
  long count(String pattern) {
    try {
      request("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
      JsonNode r = request("GET", "/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
      return r.path("count").asLong(0);
    } catch (IllegalStateException e) {
      return -1;
    }
  }

  /** {@code _id -> _index} of every document matching {@code pattern}, after a refresh; fails on duplicate ids across indices. */
  Map<String, String> ids(String pattern) {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode hit : hits(pattern, "{\"_source\":false,\"query\":{\"match_all\":{}},\"sort\":[\"_doc\"]}")) {
      String previous = ids.put(hit.path("_id").asText(), hit.path("_index").asText());
      if (previous != null) {
        throw new AssertionError("id " + hit.path("_id").asText() + " is in " + previous + " and " + hit.path("_index").asText());
      }
    }
    return ids;
  }

  /** The {@code _source} of every document matching {@code pattern}, after a refresh. */
  List<JsonNode> sources(String pattern) {
    List<JsonNode> out = new ArrayList<>();
    hits(pattern, "{\"query\":{\"match_all\":{}},\"sort\":[\"_doc\"]}").forEach(h -> out.add(h));
    return out;
  }

  /** Every hit of {@code query} on {@code pattern}, however many, through the scroll API (which ES 8, 9 and OpenSearch share). */
  private List<JsonNode> hits(String pattern, String query) {
    request("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    JsonNode page = request("POST",
        "/" + pattern + "/_search?scroll=1m&size=5000&ignore_unavailable=true&allow_no_indices=true", query);
    List<JsonNode> hits = new ArrayList<>();
    String scrollId = page.path("_scroll_id").asText(null);
    try {
      while (page.path("hits").path("hits").size() > 0) {
        page.path("hits").path("hits").forEach(hits::add);
        if (scrollId == null) {
          break;
        }
        page = request("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}");
        scrollId = page.path("_scroll_id").asText(scrollId);
      }
    } finally {
      if (scrollId != null) {
        request("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + scrollId + "\"}");
      }
    }
    return hits;
  }

  /** The mapping of one field, e.g. {@code service.name}, in index {@code index}. */
  JsonNode fieldMapping(String index, String field) {
    JsonNode r = request("GET", "/" + index + "/_mapping/field/" + field, null);
    JsonNode idx = r.elements().hasNext() ? r.elements().next() : JSON.createObjectNode();
    return idx.path("mappings").path(field).path("mapping");
  }
}
