package dev.tributary.sidecar.prometheus;

import dev.tributary.sidecar.ConfigKey;
import dev.tributary.sidecar.SidecarConfig;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tributary-sidecar-prometheus.jar [--config FILE]}: configuration from
 * {@code TRIBUTARY_*} environment variables and the optional properties file; stops gracefully on
 * SIGTERM/SIGINT. Exit status 2 on a configuration error.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("usage: java -jar tributary-sidecar-prometheus.jar [--config FILE]\n\nenvironment:");
      for (ConfigKey<?> key : PrometheusSidecarKeys.all()) {
        System.out.printf("  %-40s %-10s default %s  (%s)%n", key.envName(), key.type(), key.defaultValue(), key.description());
      }
      System.out.println("  TRIBUTARY_KAFKA_<PROPERTY>                Kafka client property, e.g. TRIBUTARY_KAFKA_SECURITY_PROTOCOL");
      return;
    }
    SidecarConfig config;
    try {
      config = SidecarConfig.load(PrometheusSidecarKeys.all(), System.getenv(), args);
    } catch (IllegalArgumentException e) {
      LOG.error("configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusSidecar sidecar = PrometheusSidecar.create(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      sidecar.close();
      stopped.countDown();
    }, "tributary-shutdown"));
    try {
      sidecar.start();
    } catch (RuntimeException e) {
      LOG.error("cannot start: {}", e.getMessage(), e);
      System.exit(1);
    }
    stopped.await();
  }
}
