package dev.tributary.internal;

import dev.tributary.OverflowPolicy;
import dev.tributary.SpoolFsync;
import dev.tributary.SpoolOverflow;
import dev.tributary.TributaryBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The one table of configuration keys, shared by environment variables, system properties and
 * properties files. A key {@code a.b.c} is {@code TRIBUTARY_A_B_C} in the environment and
 * {@code tributary.a.b.c} as a property; {@code kafka.*} passes through to the producers.
 */
public final class ConfigKeys {
  /** The property prefix: {@value}. */
  public static final String PROPERTY_PREFIX = "tributary.";
  /** The environment variable prefix: {@value}. */
  public static final String ENV_PREFIX = "TRIBUTARY_";
  /** The key naming a properties file to load first. */
  public static final String CONFIG_FILE = "config.file";
  private static final String KAFKA = "kafka.";
  /** {@code redaction.pattern.<name>=<regex>}: one key per pattern, named for the reader. */
  private static final String REDACTION_PATTERN = "redaction.pattern.";

  private static final Map<String, BiConsumer<TributaryBuilder, String>> KEYS = new TreeMap<>();

  static {
    KEYS.put("bootstrap.servers", TributaryBuilder::bootstrapServers);
    KEYS.put("service.name", TributaryBuilder::serviceName);
    KEYS.put("service.version", TributaryBuilder::serviceVersion);
    KEYS.put("instance.id", TributaryBuilder::instanceId);
    KEYS.put("environment", TributaryBuilder::environment);
    KEYS.put("metrics.topic", TributaryBuilder::metricsTopic);
    KEYS.put("logs.topic", TributaryBuilder::logsTopic);
    KEYS.put("health.topic", TributaryBuilder::healthTopic);
    KEYS.put("events.topic.suffix", TributaryBuilder::eventsTopicSuffix);
    KEYS.put("metrics.step", (b, v) -> b.metricsStep(duration("metrics.step", v)));
    KEYS.put("health.interval", (b, v) -> b.healthInterval(duration("health.interval", v)));
    KEYS.put("logs.buffer.capacity", (b, v) -> b.logsBufferCapacity(integer("logs.buffer.capacity", v)));
    KEYS.put("logs.overflow", (b, v) -> b.logsOverflow(overflow("logs.overflow", v)));
    KEYS.put("logs.key", (b, v) -> b.logsKeyedByInstance(logsKey(v)));
    KEYS.put("events.buffer.capacity", (b, v) -> b.eventsBufferCapacity(integer("events.buffer.capacity", v)));
    KEYS.put("events.overflow", (b, v) -> b.eventsOverflow(overflow("events.overflow", v)));
    KEYS.put("metrics.buffer.capacity", (b, v) -> b.metricsBufferCapacity(integer("metrics.buffer.capacity", v)));
    KEYS.put("metrics.overflow", (b, v) -> b.metricsOverflow(overflow("metrics.overflow", v)));
    KEYS.put("metrics.max.series", (b, v) -> b.maxSeries(integer("metrics.max.series", v)));
    KEYS.put("metrics.max.series.per.metric", (b, v) -> b.maxSeriesPerMetric(integer("metrics.max.series.per.metric", v)));
    KEYS.put("logs.max.message.chars", (b, v) -> b.maxMessageChars(integer("logs.max.message.chars", v)));
    KEYS.put("logs.max.stack.trace.chars", (b, v) -> b.maxStackTraceChars(integer("logs.max.stack.trace.chars", v)));
    KEYS.put("max.record.bytes", (b, v) -> b.maxRecordBytes(integer("max.record.bytes", v)));
    KEYS.put("close.timeout", (b, v) -> b.closeTimeout(duration("close.timeout", v)));
    KEYS.put("shutdown.hook", (b, v) -> b.shutdownHook(bool("shutdown.hook", v)));
    KEYS.put("events.spool.dir", (b, v) -> b.eventsSpoolDir(v == null || v.isBlank() ? null : Path.of(v)));
    KEYS.put("events.spool.fsync", (b, v) -> b.eventsSpoolFsync(fsync(v)));
    KEYS.put("events.spool.fsync.interval", (b, v) -> b.eventsSpoolFsyncInterval(duration("events.spool.fsync.interval", v)));
    KEYS.put("events.spool.max.bytes", (b, v) -> b.eventsSpoolMaxBytes(longValue("events.spool.max.bytes", v)));
    KEYS.put("events.spool.overflow", (b, v) -> b.eventsSpoolOverflow(spoolOverflow("events.spool.overflow", v)));
    KEYS.put("logs.spool.dir", (b, v) -> b.logsSpoolDir(v == null || v.isBlank() ? null : Path.of(v)));
    KEYS.put("logs.spool.max.bytes", (b, v) -> b.logsSpoolMaxBytes(longValue("logs.spool.max.bytes", v)));
    KEYS.put("logs.spool.overflow", (b, v) -> b.logsSpoolOverflow(spoolOverflow("logs.spool.overflow", v)));
    KEYS.put("circuit.failure.threshold", (b, v) -> b.circuitFailureThreshold(integer("circuit.failure.threshold", v)));
    KEYS.put("circuit.open.duration", (b, v) -> b.circuitOpenDuration(duration("circuit.open.duration", v)));
    KEYS.put("logs.rate.limit", (b, v) -> b.logsRateLimit(longValue("logs.rate.limit", v)));
    KEYS.put("logs.rate.burst", (b, v) -> b.logsRateBurst(longValue("logs.rate.burst", v)));
    KEYS.put("events.rate.limit", (b, v) -> b.eventsRateLimit(longValue("events.rate.limit", v)));
    KEYS.put("events.rate.burst", (b, v) -> b.eventsRateBurst(longValue("events.rate.burst", v)));
    KEYS.put("redaction.builtin", (b, v) -> b.redaction(r -> builtins(r, v)));
    KEYS.put("redaction.fields", (b, v) -> b.redaction(r -> r.fieldNames(list(v))));
    KEYS.put("redaction.replacement", (b, v) -> b.redaction(r -> r.replacement(v == null ? "" : v)));
    KEYS.put(CONFIG_FILE, (b, v) -> { /* consumed by applyEnvironment before anything else */ });
  }

  private ConfigKeys() {}

  /** The known keys (without prefix), for documentation and error messages. */
  public static Iterable<String> keys() {
    return KEYS.keySet();
  }

  /** Applies one key (without prefix). */
  public static void apply(TributaryBuilder builder, String key, String value, String origin) {
    if (key.startsWith(KAFKA) && key.length() > KAFKA.length()) {
      builder.producerProperty(key.substring(KAFKA.length()), value);
      return;
    }
    if (key.startsWith(REDACTION_PATTERN) && key.length() > REDACTION_PATTERN.length()) {
      builder.redaction(r -> r.pattern(value));
      return;
    }
    BiConsumer<TributaryBuilder, String> setter = KEYS.get(key);
    if (setter == null) {
      throw new IllegalArgumentException("unknown Tributary configuration key '" + origin + "'"
          + " (known keys: " + String.join(", ", KEYS.keySet()) + ", kafka.<producer property>, "
          + REDACTION_PATTERN + "<name>)");
    }
    setter.accept(builder, value == null ? null : value.trim());
  }

  /** File (if named), then environment, then system properties. */
  public static void applyEnvironment(TributaryBuilder builder, Map<String, String> env, Properties system) {
    String file = system.getProperty(PROPERTY_PREFIX + CONFIG_FILE, env.get(ENV_PREFIX + "CONFIG_FILE"));
    if (file != null && !file.isBlank()) {
      applyFile(builder, Path.of(file.trim()));
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        String key = envToKey(name.substring(ENV_PREFIX.length()));
        apply(builder, key, e.getValue(), name);
      }
    }
    applyProperties(builder, system, "system property");
  }

  /** Every {@code tributary.*} entry of {@code properties}. */
  public static void applyProperties(TributaryBuilder builder, Properties properties, String origin) {
    for (String name : new TreeSet<>(properties.stringPropertyNames())) {
      if (name.startsWith(PROPERTY_PREFIX) && name.length() > PROPERTY_PREFIX.length()) {
        apply(builder, name.substring(PROPERTY_PREFIX.length()), properties.getProperty(name), name);
      }
    }
  }

  /** A properties file's {@code tributary.*} entries. */
  public static void applyFile(TributaryBuilder builder, Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Tributary configuration file " + file + ": " + e, e);
    }
    applyProperties(builder, properties, file.toString());
  }

  /** {@code KAFKA_SASL_MECHANISM} → {@code kafka.sasl.mechanism}. */
  static String envToKey(String suffix) {
    return suffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  static Duration duration(String key, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " " + e.getMessage(), e);
    }
  }

  static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was '" + value + "'", e);
    }
  }

  static long longValue(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was '" + value + "'", e);
    }
  }

  static SpoolFsync fsync(String value) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "always" -> SpoolFsync.ALWAYS;
      case "interval" -> SpoolFsync.INTERVAL;
      case "never" -> SpoolFsync.NEVER;
      default -> throw new IllegalArgumentException("events.spool.fsync must be always, interval or never, was '" + value + "'");
    };
  }

  static SpoolOverflow spoolOverflow(String key, String value) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (v) {
      case "reject" -> SpoolOverflow.REJECT;
      case "drop-oldest" -> SpoolOverflow.DROP_OLDEST;
      case "drop-newest" -> SpoolOverflow.DROP_NEWEST;
      default -> throw new IllegalArgumentException(
          key + " must be reject, drop-oldest or drop-newest, was '" + value + "'");
    };
  }

  /** {@code card,email} (the default), {@code card}, {@code email} or {@code none}. */
  static dev.tributary.redaction.Redaction.Builder builtins(dev.tributary.redaction.Redaction.Builder r, String value) {
    boolean card = false;
    boolean email = false;
    for (String part : list(value)) {
      switch (part.toLowerCase(Locale.ROOT)) {
        case "card" -> card = true;
        case "email" -> email = true;
        case "none" -> { }
        default -> throw new IllegalArgumentException(
            "redaction.builtin must list card and/or email, or be none, was '" + value + "'");
      }
    }
    return r.cardNumbers(card).emailAddresses(email);
  }

  static String[] list(String value) {
    if (value == null || value.isBlank()) {
      return new String[0];
    }
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
  }

  static boolean bool(String key, String value) {
    if ("true".equalsIgnoreCase(value)) {
      return true;
    }
    if ("false".equalsIgnoreCase(value)) {
      return false;
    }
    throw new IllegalArgumentException(key + " must be true or false, was '" + value + "'");
  }

  static OverflowPolicy overflow(String key, String value) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "drop-newest", "drop_newest" -> OverflowPolicy.DROP_NEWEST;
      case "drop-oldest", "drop_oldest" -> OverflowPolicy.DROP_OLDEST;
      case "spill" -> OverflowPolicy.SPILL;
      default -> throw new IllegalArgumentException(key + " must be drop-newest, drop-oldest"
          + (key.startsWith("logs.") ? " or spill" : "") + ", was '" + value + "'");
    };
  }

  static boolean logsKey(String value) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "none" -> false;
      case "instance" -> true;
      default -> throw new IllegalArgumentException("logs.key must be none or instance, was '" + value + "'");
    };
  }
}
