package dev.tributary.internal;

import dev.tributary.HealthCheck;
import dev.tributary.redaction.Redaction;
import dev.tributary.OverflowPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The validated, immutable configuration of a client. Every check names the setting. */
public record ClientConfig(
    String bootstrapServers,
    String serviceName,
    String instanceId,
    String serviceVersion,
    String environment,
    String metricsTopic,
    String logsTopic,
    String healthTopic,
    String eventsTopicSuffix,
    Duration metricsStep,
    Duration healthInterval,
    int logsBufferCapacity,
    OverflowPolicy logsOverflow,
    boolean logsKeyedByInstance,
    int eventsBufferCapacity,
    OverflowPolicy eventsOverflow,
    int metricsBufferCapacity,
    OverflowPolicy metricsOverflow,
    int maxSeries,
    int maxSeriesPerMetric,
    int maxMessageChars,
    int maxStackTraceChars,
    int maxRecordBytes,
    Duration closeTimeout,
    boolean shutdownHook,
    Map<String, String> producerProperties,
    Map<String, HealthCheck> healthChecks,
    Clock clock,
    ThreadFactory threadFactory,
    DeliverySettings delivery,
    Redaction redaction) {

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  /** Producer settings the delivery pipeline depends on; overriding them would break its guarantees. */
  static final Set<String> RESERVED_PRODUCER_PROPERTIES = Set.of(
      ProducerConfig.MAX_BLOCK_MS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  public ClientConfig {
    producerProperties = producerProperties == null ? Map.of() : new LinkedHashMap<>(producerProperties);
    for (Map.Entry<String, String> e : producerProperties.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("kafka." + e.getKey() + " must not be null");
      }
      if (RESERVED_PRODUCER_PROPERTIES.contains(e.getKey())) {
        throw new IllegalArgumentException("kafka." + e.getKey()
            + " cannot be set: the client manages it so that no thread ever blocks on Kafka");
      }
    }
    producerProperties = Map.copyOf(producerProperties);
    healthChecks = healthChecks == null ? Map.of() : new LinkedHashMap<>(healthChecks);
    if (isBlank(bootstrapServers)) {
      bootstrapServers = producerProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    if (isBlank(bootstrapServers)) {
      throw new IllegalArgumentException("bootstrapServers must be set (TRIBUTARY_BOOTSTRAP_SERVERS)");
    }
    if (isBlank(serviceName)) {
      throw new IllegalArgumentException("serviceName must be set (TRIBUTARY_SERVICE_NAME)");
    }
    if (instanceId == null) {
      instanceId = defaultInstanceId();
    } else if (instanceId.isBlank()) {
      throw new IllegalArgumentException("instanceId must not be blank");
    }
    requireTopic(metricsTopic, "metricsTopic");
    requireTopic(logsTopic, "logsTopic");
    requireTopic(healthTopic, "healthTopic");
    if (eventsTopicSuffix == null || !(eventsTopicSuffix.isEmpty() || TOPIC.matcher(eventsTopicSuffix).matches())) {
      throw new IllegalArgumentException("eventsTopicSuffix must be made of [a-zA-Z0-9._-], was " + eventsTopicSuffix);
    }
    requirePositive(metricsStep, "metricsStep");
    requirePositive(healthInterval, "healthInterval");
    requirePositive(closeTimeout, "closeTimeout");
    requirePositive(logsBufferCapacity, "logsBufferCapacity");
    requirePositive(eventsBufferCapacity, "eventsBufferCapacity");
    requirePositive(metricsBufferCapacity, "metricsBufferCapacity");
    requirePositive(maxSeries, "maxSeries");
    requirePositive(maxSeriesPerMetric, "maxSeriesPerMetric");
    if (maxMessageChars < 64) {
      throw new IllegalArgumentException("maxMessageChars must be at least 64, was " + maxMessageChars);
    }
    if (maxStackTraceChars < 64) {
      throw new IllegalArgumentException("maxStackTraceChars must be at least 64, was " + maxStackTraceChars);
    }
    if (maxRecordBytes < 1024) {
      throw new IllegalArgumentException("maxRecordBytes must be at least 1024, was " + maxRecordBytes);
    }
    if (logsOverflow == null) {
      throw new IllegalArgumentException("logsOverflow must not be null");
    }
    if (eventsOverflow == null) {
      throw new IllegalArgumentException("eventsOverflow must not be null");
    }
    if (metricsOverflow == null) {
      throw new IllegalArgumentException("metricsOverflow must not be null");
    }
    if (eventsOverflow == OverflowPolicy.SPILL) {
      throw new IllegalArgumentException("eventsOverflow (events.overflow) cannot be spill: events go through a spool"
          + " whenever events.spool.dir is set; events.overflow is what the in-memory buffer in front of it does"
          + " (drop-newest or drop-oldest)");
    }
    if (metricsOverflow == OverflowPolicy.SPILL) {
      throw new IllegalArgumentException("metricsOverflow (metrics.overflow) cannot be spill: metrics are cumulative"
          + " snapshots, the next step supersedes a lost one (latest wins), so spilling them would only delay stale"
          + " values; use drop-oldest (the default) or drop-newest");
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    if (redaction == null) {
      redaction = Redaction.defaults();
    }
    if (delivery == null) {
      throw new IllegalArgumentException("delivery settings must not be null");
    }
    if (logsOverflow == OverflowPolicy.SPILL && delivery.logsSpoolDir() == null) {
      throw new IllegalArgumentException("logsOverflow (logs.overflow) spill needs logsSpoolDir (logs.spool.dir), the"
          + " directory spilled log records are written to");
    }
    // Fail now, not on the I/O thread, if a producer property is unknown-typed or malformed.
    try {
      new ProducerConfig(ProducerProfiles.throughput(bootstrapServers, producerProperties, "validate"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid Kafka producer configuration: " + e.getMessage(), e);
    }
  }

  /** The topic of an event domain. */
  public String eventTopic(String domain) {
    return domain + eventsTopicSuffix;
  }

  private static String defaultInstanceId() {
    String host = System.getenv("HOSTNAME");
    if (!isBlank(host)) {
      return host;
    }
    // Not InetAddress.getLocalHost(): it can block for seconds on a misconfigured resolver.
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!name.isEmpty()) {
        return name + "-" + ProcessHandle.current().pid();
      }
    } catch (Exception ignored) {
      // not Linux; fall through
    }
    return "localhost-" + ProcessHandle.current().pid();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static void requireTopic(String topic, String field) {
    if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(field + " must be a valid Kafka topic name, was " + topic);
    }
  }

  private static void requirePositive(Duration d, String field) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, was " + d);
    }
  }

  private static void requirePositive(int n, String field) {
    if (n <= 0) {
      throw new IllegalArgumentException(field + " must be positive, was " + n);
    }
  }

  @Override
  public String toString() {
    // Producer properties may hold credentials (sasl.jaas.config, ssl passwords): list keys only.
    return "ClientConfig{bootstrapServers=" + bootstrapServers + ", service=" + serviceName + ", instance=" + instanceId
        + ", topics=[" + metricsTopic + ", " + logsTopic + ", " + healthTopic + ", *" + eventsTopicSuffix + "]"
        + ", producerProperties=" + producerProperties.keySet() + "}";
  }
}
