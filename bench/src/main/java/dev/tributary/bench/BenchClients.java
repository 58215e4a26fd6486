package dev.tributary.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.tributary.LogLevel;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import dev.tributary.testkit.FreePorts;
import java.time.Duration;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** What the benchmarks share: the client configuration, the workload's records, quiet logs. */
final class BenchClients {
  static final String SERVICE = "bench";
  static final String LOGS_TOPIC = "logs.events";
  static final String METRICS_TOPIC = "metrics.events";
  static final String HEALTH_TOPIC = "health.events";
  static final String EVENT_DOMAIN = "payment";
  static final String EVENTS_TOPIC = EVENT_DOMAIN + ".events";

  /** The topics a client of {@link #client} publishes to, with the partition counts of DESIGN.md. */
  static final Map<String, Integer> TOPICS = Map.of(LOGS_TOPIC, 3, METRICS_TOPIC, 3, HEALTH_TOPIC, 3, EVENTS_TOPIC, 2);

  /** A typical application log line: short message, two structured fields. */
  static final String LOG_MESSAGE = "payment authorised for order";
  static final Map<String, Object> LOG_FIELDS = Map.of("order.id", "o-20261123-000042", "amount.cents", 12_990);

  static final String EVENT_NAME = "payment.completed";
  static final String EVENT_ENTITY = "o-20261123-000042";
  static final Map<String, Object> EVENT_ATTRIBUTES = Map.of("amount.cents", 12_990, "currency", "EUR");

  private BenchClients() {}

  /**
   * A client with the defaults a service would have, except the log and event buffer capacity and,
   * unless {@code logsRateLimited}, the log rate limit (turned off). Metric steps and heartbeats keep
   * their defaults: their threads are part of the real cost.
   */
  static Tributary client(String bootstrapServers, int bufferCapacity, boolean logsRateLimited) {
    return client(bootstrapServers, bufferCapacity, logsRateLimited, null, null);
  }

  /**
   * @param eventsSpoolDir the event spool's directory, or null for none
   * @param logsSpoolDir with a directory, {@code logs.overflow=spill} to it; null for the default policy
   */
  static Tributary client(String bootstrapServers, int bufferCapacity, boolean logsRateLimited,
      java.nio.file.Path eventsSpoolDir, java.nio.file.Path logsSpoolDir) {
    TributaryBuilder builder = Tributary.builder()
        .bootstrapServers(bootstrapServers)
        .serviceName(SERVICE)
        .instanceId("bench-1")
        .logsBufferCapacity(bufferCapacity)
        .eventsBufferCapacity(bufferCapacity)
        .closeTimeout(Duration.ofSeconds(2));
    if (!logsRateLimited) {
      builder.logsRateLimit(0);
    }
    if (eventsSpoolDir != null) {
      builder.eventsSpoolDir(eventsSpoolDir);
    }
    if (logsSpoolDir != null) {
      builder.logsOverflow(dev.tributary.OverflowPolicy.SPILL).logsSpoolDir(logsSpoolDir);
    }
    return builder.build();
  }

  /** A bootstrap address with nothing listening: the "broker down" case. */
  static String nobodyListening() {
    return "127.0.0.1:" + FreePorts.find();
  }

  /** Sends one log record and waits until Kafka acknowledged it: metadata fetched, connection up. */
  static void awaitConnected(Tributary client) {
    client.sendLog(LogLevel.INFO, "connect");
    if (!client.flush(Duration.ofSeconds(30)).isComplete()) {
      throw new IllegalStateException("the client did not reach the broker within 30 s: " + client.stats());
    }
  }

  /**
   * Keeps Kafka's and the client's own logging to warnings and errors: a broker that is down makes
   * the Kafka client log every reconnect, and that logging would be part of what is measured.
   */
  static void quietLogs() {
    setLevel(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
    setLevel("org.apache.kafka", Level.ERROR);
    setLevel("kafka", Level.ERROR);
    setLevel("dev.tributary", Level.ERROR);
  }

  private static void setLevel(String name, Level level) {
    if (LoggerFactory.getLogger(name) instanceof Logger logger) {
      logger.setLevel(level);
    }
  }
}
