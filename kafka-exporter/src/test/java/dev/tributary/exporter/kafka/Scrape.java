package dev.tributary.exporter.kafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads Prometheus text from an endpoint and finds samples in it. */
final class Scrape {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Scrape() {}

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String metrics(String baseUrl) throws IOException, InterruptedException {
    HttpResponse<String> r = get(baseUrl + "/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** The value of the sample named {@code name} whose labels include all of {@code labels}. */
  static OptionalDouble value(String text, String name, Map<String, String> labels) {
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String n = brace >= 0 ? line.substring(0, brace) : line.substring(0, Math.max(0, space));
      if (!n.equals(name)) {
        continue;
      }
      String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
      boolean all = labels.entrySet().stream()
          .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) {
        return OptionalDouble.of(Double.parseDouble(line.substring(space + 1)));
      }
    }
    return OptionalDouble.empty();
  }

  static double require(String text, String name, Map<String, String> labels) {
    OptionalDouble v = value(text, name, labels);
    if (v.isEmpty()) {
      throw new AssertionError("no sample " + name + labels + " in:\n" + text);
    }
    return v.getAsDouble();
  }
}
