package dev.tributary;

import java.time.Duration;
import java.util.Map;

/**
 * The Tributary client: publishes a service's metrics, logs, business events and health
 * heartbeats to Kafka as JSON envelopes (wire format v1).
 *
 * <h2>Never blocks, never throws</h2>
 * Every {@code send*} method and every instrument operation returns promptly on the caller's
 * thread whatever Kafka does: records go into a bounded buffer per stream, and only the client's
 * own I/O thread talks to Kafka. When a buffer is full, the stream's overflow policy decides what
 * is dropped, and every drop is counted in {@link #stats()} (and visible to consumers as a gap in
 * the stream's sequence numbers). Invalid input is rejected or sanitised as documented on each
 * method, and counted; it never throws into the caller. Configuration errors throw at
 * {@link TributaryBuilder#build()} instead.
 *
 * <h2>Lifecycle</h2>
 * Build with {@link #builder()} or {@link #fromEnvironment()}; {@link #flush(Duration)} waits for
 * what was sent so far; {@link #close()} publishes the final metrics and a final DOWN heartbeat,
 * delivers what is buffered within the configured grace period, and reports what it could not.
 *
 * <p>Implementations are thread-safe. {@link #noop()} returns a client that does nothing, for
 * libraries that depend on Tributary and for tests without a broker.
 */
public interface Tributary extends AutoCloseable {

  /** A builder for a Kafka-backed client. */
  static TributaryBuilder builder() {
    return new TributaryBuilder();
  }

  /**
   * A client configured from {@code TRIBUTARY_*} environment variables, {@code tributary.*}
   * system properties and the properties file they name; see {@link TributaryBuilder#fromEnvironment()}.
   *
   * @throws IllegalArgumentException if the configuration is invalid or names an unknown key
   */
  static Tributary fromEnvironment() {
    return builder().fromEnvironment().build();
  }

  /** A client that accepts everything and publishes nothing. */
  static Tributary noop() {
    return dev.tributary.internal.NoopTributary.INSTANCE;
  }

  // --- logs ----------------------------------------------------------------------------------

  /**
   * Publishes a log record to the logs topic. The correlation id of the current
   * {@link Correlation} scope and the current OpenTelemetry span are attached automatically.
   *
   * @return {@code true} if the record was accepted into the buffer, {@code false} if it was
   *     dropped (buffer full with the drop-newest policy, rate-limited, invalid, or closed)
   */
  boolean sendLog(LogEntry entry);

  /** Publishes a log message; see {@link #sendLog(LogEntry)}. */
  default boolean sendLog(LogLevel level, String message) {
    return sendLog(LogEntry.builder(level, message).build());
  }

  /** Publishes a log message with structured fields; see {@link #sendLog(LogEntry)}. */
  default boolean sendLog(LogLevel level, String message, Map<String, ?> fields) {
    return sendLog(LogEntry.builder(level, message).fields(fields).build());
  }

  /** Publishes a log message with structured fields and an exception; see {@link #sendLog(LogEntry)}. */
  default boolean sendLog(LogLevel level, String message, Map<String, ?> fields, Throwable error) {
    return sendLog(LogEntry.builder(level, message).fields(fields).error(error).build());
  }

  // --- events --------------------------------------------------------------------------------

  /**
   * Publishes a business event to {@code <domain>.events}, keyed by {@code entityId} so that the
   * events of one entity stay in order. Events use the durable producer profile (acks=all,
   * idempotent).
   *
   * @param domain the event domain, e.g. {@code payment}; must match {@code [a-z0-9][a-z0-9_-]*}
   * @param name the event name, e.g. {@code payment.completed}
   * @param entityId the entity the event is about (the Kafka key), or {@code null}
   * @param attributes the event's data: strings, numbers, booleans, maps, lists; may be {@code null}
   * @return {@code true} if accepted into the buffer, {@code false} if dropped or rejected
   */
  boolean sendEvent(String domain, String name, String entityId, Map<String, ?> attributes);

  // --- metrics -------------------------------------------------------------------------------

  /**
   * A counter: a monotonically increasing value, published as its cumulative total.
   * Registering the same name, kind and label names again returns the same instrument.
   */
  Counter.Builder counter(String name);

  /** A gauge: a value that goes up and down, or a callback sampled every step. */
  Gauge.Builder gauge(String name);

  /** A histogram with explicit bucket upper bounds. */
  Histogram.Builder histogram(String name);

  /**
   * Records a value without holding an instrument: a counter is incremented by {@code value}, a
   * gauge is set to it, a histogram observes it. The instrument is registered on first use with
   * the label names of {@code labels}. Convenient, but a map lookup per call: hold a
   * {@link Counter.Series} on hot paths.
   *
   * @return {@code true} if recorded, {@code false} if rejected (invalid value, kind or label
   *     names conflicting with an earlier registration, series limit reached)
   */
  boolean sendMetric(MetricType type, String name, double value, Map<String, String> labels);

  /**
   * Registers a source of pre-aggregated samples (such as a Micrometer registry) that is collected
   * every step, together with the client's own instruments. Closing the returned registration
   * collects it one last time and publishes the result, then removes it: the final partial step is
   * published exactly once.
   */
  Registration registerCollector(MetricCollector collector);

  // --- health --------------------------------------------------------------------------------

  /**
   * Registers a named check that is evaluated for every heartbeat, on the client's scheduler
   * thread. A check must be quick; one that throws is reported as DOWN with the exception.
   */
  Registration registerHealthCheck(String name, HealthCheck check);

  // --- lifecycle -----------------------------------------------------------------------------

  /** Counters of what was accepted, sent, dropped, rejected and failed, per stream. */
  TributaryStats stats();

  /**
   * Waits until every record accepted before this call has been acknowledged by Kafka or has
   * failed, or until the timeout passes. Never waits longer than {@code timeout}.
   */
  DeliveryReport flush(Duration timeout);

  /**
   * Stops accepting records, publishes the final metrics step and a final DOWN heartbeat, delivers
   * what is buffered within {@code grace}, closes the producers, and reports what could not be
   * delivered. Later calls return the first call's report.
   */
  DeliveryReport shutdown(Duration grace);

  /** {@link #shutdown(Duration)} with the configured grace period; idempotent. */
  @Override
  void close();
}
