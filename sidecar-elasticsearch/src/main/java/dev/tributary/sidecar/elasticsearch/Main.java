package dev.tributary.sidecar.elasticsearch;

import dev.tributary.sidecar.SidecarConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tributary-sidecar-elasticsearch.jar [--config FILE]}: configured by
 * {@code TRIBUTARY_*} environment variables and an optional properties file (see
 * {@code docs/sidecar-elasticsearch.md}); stops gracefully on SIGTERM/SIGINT. Exits with 2 on an
 * invalid configuration, and with {@value #EXIT_ACCESS_PROBLEM} when Elasticsearch refuses the
 * credentials or the TLS handshake fails (logged once, naming the cause).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Exit status when the sidecar stopped because Elasticsearch refused its credentials or certificate. */
  static final int EXIT_ACCESS_PROBLEM = 3;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    ElasticsearchSidecar sidecar;
    try {
      SidecarConfig config = SidecarConfig.load(ElasticsearchSettings.keys(), System.getenv(), args);
      sidecar = ElasticsearchSidecar.start(config);
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.err.println("tributary-sidecar-elasticsearch: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "tributary-shutdown"));
    while (!sidecar.awaitClosed(Duration.ofDays(1))) {
      // runs until SIGTERM closes it, or it stops by itself
    }
    if (sidecar.failure().isPresent()) {
      System.exit(EXIT_ACCESS_PROBLEM); // the cause is logged once, by the sidecar
    }
  }
}
