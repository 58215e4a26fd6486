package dev.tributary.micrometer;

import static io.micrometer.core.instrument.config.MeterRegistryConfigValidator.check;
import static io.micrometer.core.instrument.config.MeterRegistryConfigValidator.checkAll;
import static io.micrometer.core.instrument.config.MeterRegistryConfigValidator.checkRequired;
import static io.micrometer.core.instrument.config.validate.PropertyValidator.getDuration;
import static io.micrometer.core.instrument.config.validate.PropertyValidator.getString;

import dev.tributary.Tributary;
import io.micrometer.core.instrument.config.MeterRegistryConfig;
import io.micrometer.core.instrument.config.validate.InvalidReason;
import io.micrometer.core.instrument.config.validate.Validated;
import io.micrometer.core.instrument.config.validate.ValidationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link TributaryMeterRegistry}, in Micrometer's idiom: every setting is a
 * default method that reads {@link #get(String) get}{@code ("tributary.<setting>")} and falls back
 * to a documented default, so a configuration is usually a lambda over whatever holds the
 * properties:
 *
 * <pre>{@code
 * TributaryConfig config = key -> properties.getProperty(key);   // e.g. "tributary.step" -> "10s"
 * }</pre>
 *
 * <p>The connection settings ({@link #bootstrapServers()}, {@link #serviceName()},
 * {@link #instanceId()}, {@link #topic()}, {@link #closeTimeout()}) are used only when the registry
 * creates its own {@link Tributary} client. To share an existing client (and its producer, buffers,
 * heartbeats and self-metrics) use {@link #sharing(Tributary)}, override {@link #client()}, or pass
 * the client to {@link TributaryMeterRegistry.Builder#client(Tributary)}; the client's own
 * {@code metrics.step} then decides how often the registry is published.
 *
 * <p>{@link #requireValid()} (called by {@link TributaryMeterRegistry.Builder#build()}) throws a
 * {@link io.micrometer.core.instrument.config.validate.ValidationException} naming every invalid
 * property.
 */
@FunctionalInterface
public interface TributaryConfig extends MeterRegistryConfig {

  /** Default {@link #step()}: 10 s, the SDK's default {@code metrics.step}. */
  Duration DEFAULT_STEP = Duration.ofSeconds(10);

  /** Default {@link #topic()}: {@value}. */
  String DEFAULT_TOPIC = "metrics.events";

  /** Default {@link #closeTimeout()}: 5 s, the SDK's default {@code close.timeout}. */
  Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** A configuration that answers every key with its default. */
  TributaryConfig DEFAULT = key -> null;

  /**
   * A configuration with every default that publishes through {@code client} instead of creating
   * a client; the registry never closes a client it did not create.
   */
  static TributaryConfig sharing(Tributary client) {
    Objects.requireNonNull(client, "client");
    return new TributaryConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public Tributary client() {
        return client;
      }
    };
  }

  /** The property prefix: {@code tributary}. */
  @Override
  default String prefix() {
    return "tributary";
  }

  /**
   * How often cumulative values are published, when the registry creates its own client (its
   * {@code metrics.step}); always the window of the time-windowed statistics (client-side
   * percentiles and {@code _max}). Key {@code tributary.step} (e.g. {@code 10s}, {@code PT10S});
   * default 10 s. When sharing a client, set it to the client's {@code metrics.step}.
   */
  default Duration step() {
    return getDuration(this, "step").orElse(DEFAULT_STEP);
  }

  /**
   * Kafka bootstrap servers, {@code host:port[,host:port]}. Key {@code tributary.bootstrapServers};
   * required unless a client is shared.
   */
  default String bootstrapServers() {
    return getString(this, "bootstrapServers").orElse(null);
  }

  /**
   * The service name, the {@code service} label of every series. Key {@code tributary.serviceName};
   * required unless a client is shared.
   */
  default String serviceName() {
    return getString(this, "serviceName").orElse(null);
  }

  /**
   * This instance's id, the {@code instance} label of every series. Key
   * {@code tributary.instanceId}; default {@code null}: the SDK's default (the {@code HOSTNAME}
   * environment variable, else {@code <hostname>-<pid>}).
   */
  default String instanceId() {
    return getString(this, "instanceId").orElse(null);
  }

  /** The metrics topic. Key {@code tributary.topic}; default {@value #DEFAULT_TOPIC}. */
  default String topic() {
    return getString(this, "topic").orElse(DEFAULT_TOPIC);
  }

  /**
   * Whether meter descriptions are published as the series' help text. Key
   * {@code tributary.descriptions}; default {@code true}.
   */
  default boolean descriptions() {
    // PropertyValidator.getBoolean reads anything but "true" as false; a typo should fail instead.
    String value = getString(this, "descriptions").orElse(null);
    if (value == null || value.isBlank()) {
      return true;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ValidationException(Validated.invalid(prefix() + ".descriptions", value,
          "must be 'true' or 'false'", InvalidReason.MALFORMED));
    };
  }

  /**
   * How long {@link TributaryMeterRegistry#close()} may take to deliver what is buffered, when the
   * registry created its own client. Key {@code tributary.closeTimeout}; default 5 s.
   */
  default Duration closeTimeout() {
    return getDuration(this, "closeTimeout").orElse(DEFAULT_CLOSE_TIMEOUT);
  }

  /**
   * Kafka producer properties of the client the registry creates (security, SASL, TLS, ...), as
   * the SDK's {@code kafka.*} keys take them: {@code security.protocol}, {@code sasl.mechanism},
   * {@code sasl.jaas.config}, {@code ssl.truststore.location}, .... Not a property: override it.
   * Default: none here; the environment's {@code TRIBUTARY_KAFKA_*} variables and
   * {@code tributary.kafka.*} system properties apply in any case, and these win over them.
   */
  default Map<String, String> kafkaProperties() {
    return Map.of();
  }

  /**
   * A client to publish through instead of creating one from this configuration; {@code null} (the
   * default) creates one. Not a property: override it, or use {@link #sharing(Tributary)}.
   */
  default Tributary client() {
    return null;
  }

  @Override
  default Validated<?> validate() {
    return validate(this);
  }

  /** Validates every setting of {@code config}; the connection settings only if no client is shared. */
  static Validated<?> validate(TributaryConfig config) {
    boolean ownClient = config.client() == null;
    return checkAll(config,
        check("step", TributaryConfig::step).andThen(v -> v.invalidateWhen(
            step -> step == null || step.isZero() || step.isNegative(), "must be positive", InvalidReason.MALFORMED)),
        check("closeTimeout", TributaryConfig::closeTimeout).andThen(v -> v.invalidateWhen(
            timeout -> timeout == null || timeout.isNegative(), "must not be negative", InvalidReason.MALFORMED)),
        check("descriptions", TributaryConfig::descriptions),
        ownClient ? checkRequired("bootstrapServers", TributaryConfig::bootstrapServers).andThen(Validated::nonBlank)
            : c -> Validated.none(),
        ownClient ? checkRequired("serviceName", TributaryConfig::serviceName).andThen(Validated::nonBlank)
            : c -> Validated.none(),
        checkRequired("topic", TributaryConfig::topic).andThen(Validated::nonBlank));
  }
}
