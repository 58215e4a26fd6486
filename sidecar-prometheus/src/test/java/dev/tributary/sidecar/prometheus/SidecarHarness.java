package dev.tributary.sidecar.prometheus;

import dev.tributary.Tributary;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting sidecars and SDK clients against the test broker, scraping, promtool. */
final class SidecarHarness {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private SidecarHarness() {}

  static Map<String, String> config(KafkaBroker kafka, String prefix) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", kafka.bootstrapServers());
    c.put("http.port", "0");
    c.put("group.id", prefix + "-group");
    c.put("metrics.topic", prefix + ".metrics.events");
    c.put("health.topic", prefix + ".health.events");
    c.put("shutdown.timeout", "5s");
    return c;
  }

  static void createTopics(KafkaBroker kafka, String prefix, int partitions) {
    kafka.createTopic(prefix + ".metrics.events", partitions);
    kafka.createTopic(prefix + ".health.events", partitions);
    kafka.createTopic(prefix + ".metrics.events.dlq", 1);
    kafka.createTopic(prefix + ".health.events.dlq", 1);
  }

  static PrometheusSidecar start(Map<String, String> config, Clock clock) {
    return PrometheusSidecar.create(SidecarConfig.of(PrometheusSidecarKeys.all(), config), clock).start();
  }

  static Tributary client(KafkaBroker kafka, String prefix, String instance) {
    return Tributary.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .serviceName("payments")
        .instanceId(instance)
        .metricsTopic(prefix + ".metrics.events")
        .healthTopic(prefix + ".health.events")
        .logsTopic(prefix + ".logs.events")
        .metricsStep(Duration.ofMillis(200))
        .healthInterval(Duration.ofMillis(200))
        .build();
  }

  static String scrape(String baseUrl, String accept) {
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"));
      if (accept != null) {
        req.header("Accept", accept);
      }
      return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of the sample line that starts with {@code name} and a space; fails if there is none. */
  static double sample(String exposition, String name) {
    return exposition.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no sample " + name));
  }

  static int status(String baseUrl, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Runs {@code promtool check metrics} on an exposition; returns its exit code and output. */
  static Map.Entry<Integer, String> promtoolCheck(String exposition) throws Exception {
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try {
      p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("promtool did not finish");
      }
      return Map.entry(p.exitValue(), out);
    } finally {
      p.destroyForcibly();
    }
  }
}
