package dev.tributary.sidecar.prometheus;

import static org.awaitility.Awaitility.await;

import dev.tributary.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real Prometheus (Debian package, as CI installs it) on a free loopback port, ready to answer queries. */
final class PrometheusServer implements AutoCloseable {
  /** Base URL of its HTTP API, e.g. {@code http://127.0.0.1:PORT}. */
  final String api;
  private final Process process;

  private PrometheusServer(Process process, String api) {
    this.process = process;
    this.api = api;
  }

  /** Starts Prometheus with {@code config}, its data and log under {@code dir}, and waits until it is ready. */
  static PrometheusServer start(Path dir, Path config) throws IOException, InterruptedException {
    int port = FreePorts.find();
    Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port);
    try {
      // On a busy machine Prometheus takes seconds to listen, then answers 503 until it is ready.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> SidecarHarness.HTTP.send(HttpRequest.newBuilder(URI.create(server.api + "/-/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
