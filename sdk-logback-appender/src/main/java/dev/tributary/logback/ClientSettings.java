package dev.tributary.logback;

import dev.tributary.OverflowPolicy;
import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

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
  String spoolDir;
  Boolean keyByInstance;
  Integer maxMessageChars;
  Integer maxStackTraceChars;
  Long rateLimit;
  Long rateBurst;
  final Map<String, String> producerProperties = new LinkedHashMap<>();
  /** The SDK's redaction keys ({@code redaction.fields}, ...) as given in {@code logback.xml}. */
  final Map<String, String> redaction = new LinkedHashMap<>();
  /** Why a redaction setting is unusable; the client is then not built (a dropped rule would leak data). */
  String redactionError;

  static final String REDACTION_BUILTIN = "redaction.builtin";
  static final String REDACTION_FIELDS = "redaction.fields";
  static final String REDACTION_REPLACEMENT = "redaction.replacement";
  static final String REDACTION_PATTERN = "redaction.pattern.";
  private static final Pattern PATTERN_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /** {@code true} if any client setting was given in {@code logback.xml}. */
  boolean anySet() {
    return bootstrapServers != null || serviceName != null || serviceVersion != null || environment != null
        || instanceId != null || topic != null || bufferCapacity != null || overflowPolicy != null || spoolDir != null
        || keyByInstance != null || maxMessageChars != null || maxStackTraceChars != null
        || rateLimit != null || rateBurst != null
        || !producerProperties.isEmpty();
  }

  /** {@code true} if any redaction setting was given in {@code logback.xml}. */
  boolean anyRedactionSet() {
    return !redaction.isEmpty() || redactionError != null;
  }

  /**
   * Records {@code <redactionPattern>name=regex</redactionPattern>} as the SDK's
   * {@code redaction.pattern.<name>}; the regex itself is checked by the SDK when the client is built.
   */
  void redactionPattern(String namedPattern) {
    int eq = namedPattern == null ? -1 : namedPattern.indexOf('=');
    String name = eq < 0 ? "" : namedPattern.substring(0, eq).trim();
    if (!PATTERN_NAME.matcher(name).matches() || namedPattern.substring(eq + 1).isBlank()) {
      if (redactionError == null) {
        redactionError = "redactionPattern must be name=regex (a name of letters, digits, _ or -), was '"
            + namedPattern + "'";
      }
      return;
    }
    redaction.put(REDACTION_PATTERN + name, namedPattern.substring(eq + 1).trim());
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
    if (spoolDir != null) {
      b.logsSpoolDir(java.nio.file.Path.of(spoolDir));
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
    if (redactionError != null) {
      throw new IllegalArgumentException(redactionError);
    }
    if (!redaction.isEmpty()) {
      // Through the SDK's own key table, so the values mean exactly what the environment's do.
      Properties keys = new Properties();
      redaction.forEach((key, value) -> keys.setProperty("tributary." + key, value));
      b.fromProperties(keys);
    }
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
