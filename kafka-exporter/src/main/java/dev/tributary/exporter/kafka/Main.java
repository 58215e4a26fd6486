package dev.tributary.exporter.kafka;

import dev.tributary.sidecar.ConfigKey;
import dev.tributary.sidecar.SidecarConfig;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tributary-kafka-exporter.jar [--config FILE]}: configuration from
 * {@code TRIBUTARY_*} environment variables and the optional properties file; stops gracefully on
 * SIGTERM/SIGINT. Exit status 2 on a configuration error, 1 if it cannot start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("usage: java -jar tributary-kafka-exporter.jar [--config FILE]\n\nenvironment:");
      for (ConfigKey<?> key : KafkaExporterKeys.all()) {
        System.out.printf("  %-40s %-10s default %s  (%s)%n", key.envName(), key.type(), key.defaultValue(), key.description());
      }
      System.out.println("  TRIBUTARY_KAFKA_<PROPERTY>                Kafka client property, e.g. TRIBUTARY_KAFKA_SECURITY_PROTOCOL");
      return;
    }
    KafkaExporter exporter;
    try {
      exporter = KafkaExporter.create(SidecarConfig.load(KafkaExporterKeys.all(), System.getenv(), args));
    } catch (IllegalArgumentException e) {
      LOG.error("configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      exporter.close();
      stopped.countDown();
    }, "tributary-shutdown"));
    try {
      exporter.start();
    } catch (RuntimeException e) {
      LOG.error("cannot start: {}", e.getMessage(), e);
      System.exit(1);
    }
    stopped.await();
  }
}
