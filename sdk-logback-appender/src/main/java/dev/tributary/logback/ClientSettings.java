package dev.tributary.logback;

import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of a client the appender builds itself. Unset settings ({@code null}) come from
 * the environment ({@code tributary.*} system properties, {@code TRIBUTARY_*} variables, the file
 * they name), then the SDK's defaults: {@code logback.xml} wins over the environment.
 */
final class ClientSettings {
  String bootstrapServers;
  String serviceName;
  String serviceVersion;
  String environment;
  String instanceId;
  String topic;
  Integer bufferCapacity;
  OverflowPolicy overflowPolicy;
  Boolean keyByInstance;
  Integer maxMessageChars;
  Integer maxStackTraceChars;
  Long rateLimit;
  Long rateBurst;
  final Map<String, String> producerProperties = new LinkedHashMap<>();

  /** {@code true} if any client setting was given in {@code logback.xml}. */
  boolean anySet() {
    return bootstrapServers != null || serviceName != null || serviceVersion != null || environment != null
        || instanceId != null || topic != null || bufferCapacity != null || overflowPolicy != null
        || keyByInstance != null || maxMessageChars != null || maxStackTraceChars != null
        || rateLimit != null || rateBurst != null
        || !producerProperties.isEmpty();
  }

  /**
   * Builds and starts the client; Kafka need not be reachable.
   *
   * @throws IllegalArgumentException naming the invalid or missing setting
   */
  Tributary build(Duration closeTimeout) {
    TributaryBuilder b = Tributary.builder().fromEnvironment();
    if (bootstrapServers != null) {
      b.bootstrapServers(bootstrapServers);
    }
    if (serviceName != null) {
      b.serviceName(serviceName);
    }
    if (serviceVersion != null) {
      b.serviceVersion(serviceVersion);
    }
    if (environment != null) {
      b.environment(environment);
    }
    if (instanceId != null) {
      b.instanceId(instanceId);
    }
    if (topic != null) {
      b.logsTopic(topic);
    }
    if (bufferCapacity != null) {
      b.logsBufferCapacity(bufferCapacity);
    }
    if (overflowPolicy != null) {
      b.logsOverflow(overflowPolicy);
    }
    if (keyByInstance != null) {
      b.logsKeyedByInstance(keyByInstance);
    }
    if (maxMessageChars != null) {
      b.maxMessageChars(maxMessageChars);
    }
    if (maxStackTraceChars != null) {
      b.maxStackTraceChars(maxStackTraceChars);
    }
    if (rateLimit != null) {
      b.logsRateLimit(rateLimit);
    }
    if (rateBurst != null) {
      b.logsRateBurst(rateBurst);
    }
    producerProperties.forEach(b::producerProperty);
    b.closeTimeout(closeTimeout);
    return b.build();
  }

  /** {@code DROP_NEWEST}, {@code drop-newest} or {@code drop_newest} (any case); null if none matches. */
  static OverflowPolicy parsePolicy(String value) {
    if (value == null) {
      return null;
    }
    String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (OverflowPolicy p : OverflowPolicy.values()) {
      if (p.name().equals(normalized)) {
        return p;
      }
    }
    return null;
  }
}
