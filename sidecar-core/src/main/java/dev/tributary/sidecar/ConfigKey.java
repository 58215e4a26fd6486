package dev.tributary.sidecar;

import dev.tributary.internal.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One typed configuration key of a sidecar, with its default.
 *
 * <p>A key named {@code a.b.c} is read from the environment variable {@code TRIBUTARY_A_B_C} and
 * from the entry {@code tributary.a.b.c} of a properties file; see {@link SidecarConfig}.
 *
 * @param <T> the value type
 */
public final class ConfigKey<T> {
  private final String name;
  private final String type;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final String description;

  private ConfigKey(String name, String type, T defaultValue, Function<String, T> parser, String description) {
    if (!name.matches("[a-z0-9]+(\\.[a-z0-9]+)*")) {
      throw new IllegalArgumentException("a configuration key is lower case words separated by dots, was '" + name + "'");
    }
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.description = Objects.requireNonNull(description, "description");
  }

  /** A string key; {@code defaultValue} may be {@code null} for "required, no default". */
  public static ConfigKey<String> string(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, "string", defaultValue, v -> v, description);
  }

  /** An integer key accepting values in {@code [min, max]}. */
  public static ConfigKey<Integer> integer(String name, int defaultValue, int min, int max, String description) {
    return new ConfigKey<>(name, "int", defaultValue, v -> {
      int n;
      try {
        n = Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("must be an integer, was '" + v + "'", e);
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max + ", was " + n);
      }
      return n;
    }, description);
  }

  /**
   * A duration key: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601
   * (parsed by the SDK's own parser). Negative durations are rejected.
   */
  public static ConfigKey<Duration> duration(String name, Duration defaultValue, String description) {
    return new ConfigKey<>(name, "duration", defaultValue, v -> {
      Duration d = Durations.parse(v);
      if (d.isNegative()) {
        throw new IllegalArgumentException("must not be negative, was '" + v + "'");
      }
      return d;
    }, description);
  }

  /** The same key with another default, e.g. a sidecar's own consumer group. */
  public ConfigKey<T> withDefault(T newDefault) {
    return new ConfigKey<>(name, type, newDefault, parser, description);
  }

  /** The key, e.g. {@code http.port}. */
  public String name() {
    return name;
  }

  /** The environment variable, e.g. {@code TRIBUTARY_HTTP_PORT}. */
  public String envName() {
    return SidecarConfig.ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The properties-file entry, e.g. {@code tributary.http.port}. */
  public String propertyName() {
    return SidecarConfig.PROPERTY_PREFIX + name;
  }

  /** {@code string}, {@code int} or {@code duration}. */
  public String type() {
    return type;
  }

  /** The default, or {@code null} if the key has none (then it is required). */
  public T defaultValue() {
    return defaultValue;
  }

  /** What the key is for, one line, for documentation and {@code --help}. */
  public String description() {
    return description;
  }

  T parse(String text, String origin) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
