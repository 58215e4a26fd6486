package dev.tributary.sidecar.elasticsearch;

import dev.tributary.sidecar.SidecarConfig;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tributary-sidecar-elasticsearch.jar [--config FILE]}: configured by
 * {@code TRIBUTARY_*} environment variables and an optional properties file (see
 * {@code docs/sidecar-elasticsearch.md}); stops gracefully on SIGTERM/SIGINT. Exits with 2 on an
 * invalid configuration.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sidecar.close();
      stopped.countDown();
    }, "tributary-shutdown"));
    stopped.await();
  }
}
