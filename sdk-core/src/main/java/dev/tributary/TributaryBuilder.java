package dev.tributary;

import dev.tributary.internal.ClientConfig;
import dev.tributary.internal.ConfigKeys;
import dev.tributary.internal.DefaultTributary;
import dev.tributary.internal.DeliverySettings;
import dev.tributary.redaction.Redaction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * Configures and builds a Kafka-backed {@link Tributary} client.
 *
 * <p>Every setting has a property key (listed on each setter and in {@code docs/configuration.md})
 * that can also come from an environment variable ({@code TRIBUTARY_} + the key upper-cased with
 * dots as underscores, e.g. {@code TRIBUTARY_BOOTSTRAP_SERVERS}), a system property
 * ({@code tributary.} + the key) or a properties file. Kafka producer properties pass through
 * under {@code kafka.} ({@code TRIBUTARY_KAFKA_SASL_MECHANISM} sets {@code sasl.mechanism}). An
 * unknown key under the prefix is rejected with a message naming it, which catches typos.
 *
 * <p>Settings apply in call order, so {@code builder().fromEnvironment().serviceName("x")} lets
 * code override the environment. Validation happens in {@link #build()}, which throws
 * {@link IllegalArgumentException} naming the setting; nothing throws after that.
 */
public final class TributaryBuilder {
  /** Default metrics topic: {@value}. */
  public static final String DEFAULT_METRICS_TOPIC = "metrics.events";
  /** Default logs topic: {@value}. */
  public static final String DEFAULT_LOGS_TOPIC = "logs.events";
  /** Default health topic: {@value}. */
  public static final String DEFAULT_HEALTH_TOPIC = "health.events";
  /** Default suffix appended to an event domain to name its topic: {@value}. */
  public static final String DEFAULT_EVENTS_TOPIC_SUFFIX = ".events";
  /** Default interval between cumulative metric publications: 10 s. */
  public static final Duration DEFAULT_METRICS_STEP = Duration.ofSeconds(10);
  /** Default interval between heartbeats: 15 s. */
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(15);
  /** Default log buffer capacity, in records: {@value}. */
  public static final int DEFAULT_LOGS_BUFFER_CAPACITY = 8192;
  /** Default event buffer capacity, in records: {@value}. */
  public static final int DEFAULT_EVENTS_BUFFER_CAPACITY = 8192;
  /** Default metric buffer capacity, in series samples: {@value} (more than a step of the default series limit). */
  public static final int DEFAULT_METRICS_BUFFER_CAPACITY = 16384;
  /** Default limit on series across all of the client's instruments: {@value}. */
  public static final int DEFAULT_MAX_SERIES = 10_000;
  /** Default limit on series of one instrument: {@value}. */
  public static final int DEFAULT_MAX_SERIES_PER_METRIC = 2_000;
  /** Default limit on a log message's length, in characters: {@value}. */
  public static final int DEFAULT_MAX_MESSAGE_CHARS = 32 * 1024;
  /** Default limit on a rendered stack trace's length, in characters: {@value}. */
  public static final int DEFAULT_MAX_STACK_TRACE_CHARS = 16 * 1024;
  /** Default limit on an encoded record, in bytes ({@value}); larger records are rejected and counted. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
  /** Default grace period of {@link Tributary#close()}: 5 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** Default bound on the event spool's files: 256 MiB. */
  public static final long DEFAULT_EVENTS_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
  /** Default fsync policy of the event spool: {@link SpoolFsync#INTERVAL}. */
  public static final SpoolFsync DEFAULT_EVENTS_SPOOL_FSYNC = SpoolFsync.INTERVAL;
  /** Default interval of {@link SpoolFsync#INTERVAL} (and of the spool's checkpoint): 100 ms. */
  public static final Duration DEFAULT_EVENTS_SPOOL_FSYNC_INTERVAL = Duration.ofMillis(100);
  /** Default bound on the logs spill spool's files ({@code logs.overflow=spill}): 256 MiB. */
  public static final long DEFAULT_LOGS_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
  /**
   * Default policy of a full logs spill spool: {@link SpoolOverflow#DROP_OLDEST}, as a rotating log
   * file: a long outage keeps the most recent records.
   */
  public static final SpoolOverflow DEFAULT_LOGS_SPOOL_OVERFLOW = SpoolOverflow.DROP_OLDEST;
  /**
   * Default policy of a full event spool: {@link SpoolOverflow#REJECT}, so the caller learns through
   * {@code sendEvent}'s return value instead of an event silently going later.
   */
  public static final SpoolOverflow DEFAULT_EVENTS_SPOOL_OVERFLOW = SpoolOverflow.REJECT;
  /** Default consecutive failures that open a producer's circuit: {@value}. */
  public static final int DEFAULT_CIRCUIT_FAILURE_THRESHOLD = 5;
  /** Default time an open circuit stays open before a probe: 5 s. */
  public static final Duration DEFAULT_CIRCUIT_OPEN_DURATION = Duration.ofSeconds(5);
  /**
   * Default log rate limit per client, in records per second: {@value}. Far above what a service logs
   * in normal operation, far below what a logging loop produces: it protects the broker and the
   * Elasticsearch sidecar (about 45 k documents/s on a single loader) from one instance's log storm.
   */
  public static final long DEFAULT_LOGS_RATE_LIMIT = 10_000;
  /** Default log burst: {@value} records, two seconds at the default rate (a start-up or an error burst). */
  public static final long DEFAULT_LOGS_RATE_BURST = 20_000;

  private String bootstrapServers;
  private String serviceName;
  private String instanceId;
  private String serviceVersion;
  private String environment;
  private String metricsTopic = DEFAULT_METRICS_TOPIC;
  private String logsTopic = DEFAULT_LOGS_TOPIC;
  private String healthTopic = DEFAULT_HEALTH_TOPIC;
  private String eventsTopicSuffix = DEFAULT_EVENTS_TOPIC_SUFFIX;
  private Duration metricsStep = DEFAULT_METRICS_STEP;
  private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
  private int logsBufferCapacity = DEFAULT_LOGS_BUFFER_CAPACITY;
  private OverflowPolicy logsOverflow = OverflowPolicy.DROP_NEWEST;
  private boolean logsKeyedByInstance;
  private int eventsBufferCapacity = DEFAULT_EVENTS_BUFFER_CAPACITY;
  private OverflowPolicy eventsOverflow = OverflowPolicy.DROP_NEWEST;
  private int metricsBufferCapacity = DEFAULT_METRICS_BUFFER_CAPACITY;
  private OverflowPolicy metricsOverflow = OverflowPolicy.DROP_OLDEST;
  private int maxSeries = DEFAULT_MAX_SERIES;
  private int maxSeriesPerMetric = DEFAULT_MAX_SERIES_PER_METRIC;
  private int maxMessageChars = DEFAULT_MAX_MESSAGE_CHARS;
  private int maxStackTraceChars = DEFAULT_MAX_STACK_TRACE_CHARS;
  private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private boolean shutdownHook;
  private final Map<String, String> producerProperties = new LinkedHashMap<>();
  private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
  private Clock clock = Clock.systemUTC();
  private ThreadFactory threadFactory;
  private Path eventsSpoolDir;
  private SpoolFsync eventsSpoolFsync = DEFAULT_EVENTS_SPOOL_FSYNC;
  private Duration eventsSpoolFsyncInterval = DEFAULT_EVENTS_SPOOL_FSYNC_INTERVAL;
  private long eventsSpoolMaxBytes = DEFAULT_EVENTS_SPOOL_MAX_BYTES;
  private SpoolOverflow eventsSpoolOverflow = DEFAULT_EVENTS_SPOOL_OVERFLOW;
  private Path logsSpoolDir;
  private long logsSpoolMaxBytes = DEFAULT_LOGS_SPOOL_MAX_BYTES;
  private SpoolOverflow logsSpoolOverflow = DEFAULT_LOGS_SPOOL_OVERFLOW;
  private int circuitFailureThreshold = DEFAULT_CIRCUIT_FAILURE_THRESHOLD;
  private Duration circuitOpenDuration = DEFAULT_CIRCUIT_OPEN_DURATION;
  private Redaction redaction = Redaction.defaults();
  private long logsRateLimit = DEFAULT_LOGS_RATE_LIMIT;
  private Long logsRateBurst;
  private long eventsRateLimit;
  private Long eventsRateBurst;

  TributaryBuilder() {}

  /**
   * Applies, in this order, the properties file named by {@code TRIBUTARY_CONFIG_FILE} or the
   * system property {@code tributary.config.file} (if any), then every {@code TRIBUTARY_*}
   * environment variable, then every {@code tributary.*} system property.
   *
   * @throws IllegalArgumentException naming the first unknown key or invalid value
   */
  public TributaryBuilder fromEnvironment() {
    ConfigKeys.applyEnvironment(this, System.getenv(), System.getProperties());
    return this;
  }

  /**
   * Applies every {@code tributary.*} entry of {@code properties}; other entries are ignored.
   *
   * @throws IllegalArgumentException naming the first unknown key or invalid value
   */
  public TributaryBuilder fromProperties(Properties properties) {
    ConfigKeys.applyProperties(this, properties, "properties");
    return this;
  }

  /**
   * Applies a properties file's {@code tributary.*} entries.
   *
   * @throws IllegalArgumentException if the file cannot be read, or names an unknown key
   */
  public TributaryBuilder fromPropertiesFile(Path file) {
    ConfigKeys.applyFile(this, file);
    return this;
  }

  /** Kafka bootstrap servers, {@code host:port[,host:port]}. Key {@code bootstrap.servers}; required. */
  public TributaryBuilder bootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  /** The service name ({@code service.name}, the {@code service} label). Key {@code service.name}; required. */
  public TributaryBuilder serviceName(String serviceName) {
    this.serviceName = serviceName;
    return this;
  }

  /**
   * This instance's id ({@code service.node.name}, the {@code instance} label); stable across
   * restarts of the same instance is best. Key {@code instance.id}; default the {@code HOSTNAME}
   * environment variable, else {@code <hostname>-<pid>}.
   */
  public TributaryBuilder instanceId(String instanceId) {
    this.instanceId = instanceId;
    return this;
  }

  /** The service version ({@code service.version}). Key {@code service.version}; optional. */
  public TributaryBuilder serviceVersion(String serviceVersion) {
    this.serviceVersion = serviceVersion;
    return this;
  }

  /** The deployment environment ({@code service.environment}). Key {@code environment}; optional. */
  public TributaryBuilder environment(String environment) {
    this.environment = environment;
    return this;
  }

  /** Key {@code metrics.topic}; default {@value #DEFAULT_METRICS_TOPIC}. */
  public TributaryBuilder metricsTopic(String topic) {
    this.metricsTopic = topic;
    return this;
  }

  /** Key {@code logs.topic}; default {@value #DEFAULT_LOGS_TOPIC}. */
  public TributaryBuilder logsTopic(String topic) {
    this.logsTopic = topic;
    return this;
  }

  /** Key {@code health.topic}; default {@value #DEFAULT_HEALTH_TOPIC}. */
  public TributaryBuilder healthTopic(String topic) {
    this.healthTopic = topic;
    return this;
  }

  /** Suffix that turns an event domain into its topic. Key {@code events.topic.suffix}; default {@value #DEFAULT_EVENTS_TOPIC_SUFFIX}. */
  public TributaryBuilder eventsTopicSuffix(String suffix) {
    this.eventsTopicSuffix = suffix;
    return this;
  }

  /** Interval between cumulative metric publications. Key {@code metrics.step}; default 10 s. */
  public TributaryBuilder metricsStep(Duration step) {
    this.metricsStep = step;
    return this;
  }

  /** Interval between heartbeats. Key {@code health.interval}; default 15 s. */
  public TributaryBuilder healthInterval(Duration interval) {
    this.healthInterval = interval;
    return this;
  }

  /** Log buffer capacity in records. Key {@code logs.buffer.capacity}; default {@value #DEFAULT_LOGS_BUFFER_CAPACITY}. */
  public TributaryBuilder logsBufferCapacity(int capacity) {
    this.logsBufferCapacity = capacity;
    return this;
  }

  /**
   * What the log buffer does when it is full. Key {@code logs.overflow} ({@code drop-newest},
   * {@code drop-oldest}, {@code spill}); default drop-newest. {@link OverflowPolicy#SPILL} needs
   * {@link #logsSpoolDir}.
   */
  public TributaryBuilder logsOverflow(OverflowPolicy policy) {
    this.logsOverflow = policy;
    return this;
  }

  /**
   * Keys log records by {@code service/instance} (per-instance order, one partition per instance)
   * instead of sending them unkeyed (sticky partitioning, best batching). Key {@code logs.key}
   * ({@code none}, {@code instance}); default none.
   */
  public TributaryBuilder logsKeyedByInstance(boolean keyed) {
    this.logsKeyedByInstance = keyed;
    return this;
  }

  /** Event buffer capacity in records. Key {@code events.buffer.capacity}; default {@value #DEFAULT_EVENTS_BUFFER_CAPACITY}. */
  public TributaryBuilder eventsBufferCapacity(int capacity) {
    this.eventsBufferCapacity = capacity;
    return this;
  }

  /**
   * Key {@code events.overflow} ({@code drop-newest}, {@code drop-oldest}); default drop-newest.
   * {@link OverflowPolicy#SPILL} is refused: events are spooled through {@link #eventsSpoolDir}.
   */
  public TributaryBuilder eventsOverflow(OverflowPolicy policy) {
    this.eventsOverflow = policy;
    return this;
  }

  /**
   * Metric buffer capacity in samples; metrics always drop the oldest sample when full (the next
   * step's cumulative value supersedes it). Key {@code metrics.buffer.capacity}; default
   * {@value #DEFAULT_METRICS_BUFFER_CAPACITY}.
   */
  public TributaryBuilder metricsBufferCapacity(int capacity) {
    this.metricsBufferCapacity = capacity;
    return this;
  }

  /**
   * What the metric buffer does when it is full. Key {@code metrics.overflow} ({@code drop-oldest},
   * {@code drop-newest}); default drop-oldest: a newer cumulative sample supersedes an older one.
   * {@link OverflowPolicy#SPILL} is refused: metrics are latest-wins snapshots.
   */
  public TributaryBuilder metricsOverflow(OverflowPolicy policy) {
    this.metricsOverflow = policy;
    return this;
  }

  /** Limit on series across all instruments. Key {@code metrics.max.series}; default {@value #DEFAULT_MAX_SERIES}. */
  public TributaryBuilder maxSeries(int maxSeries) {
    this.maxSeries = maxSeries;
    return this;
  }

  /** Limit on series of one instrument. Key {@code metrics.max.series.per.metric}; default {@value #DEFAULT_MAX_SERIES_PER_METRIC}. */
  public TributaryBuilder maxSeriesPerMetric(int maxSeriesPerMetric) {
    this.maxSeriesPerMetric = maxSeriesPerMetric;
    return this;
  }

  /** Longer log messages are truncated (and counted). Key {@code logs.max.message.chars}; default {@value #DEFAULT_MAX_MESSAGE_CHARS}. */
  public TributaryBuilder maxMessageChars(int chars) {
    this.maxMessageChars = chars;
    return this;
  }

  /** Longer stack traces are truncated (and counted). Key {@code logs.max.stack.trace.chars}; default {@value #DEFAULT_MAX_STACK_TRACE_CHARS}. */
  public TributaryBuilder maxStackTraceChars(int chars) {
    this.maxStackTraceChars = chars;
    return this;
  }

  /** Larger encoded records are rejected (and counted). Key {@code max.record.bytes}; default {@value #DEFAULT_MAX_RECORD_BYTES}. */
  public TributaryBuilder maxRecordBytes(int bytes) {
    this.maxRecordBytes = bytes;
    return this;
  }

  /** Grace period of {@link Tributary#close()}. Key {@code close.timeout}; default 5 s. */
  public TributaryBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = timeout;
    return this;
  }

  /** Registers a JVM shutdown hook that closes the client. Key {@code shutdown.hook}; default false. */
  public TributaryBuilder shutdownHook(boolean enabled) {
    this.shutdownHook = enabled;
    return this;
  }

  /**
   * Sets a Kafka producer property for both producers (security, SASL, TLS, client.id, ...).
   * Key {@code kafka.<name>}. The delivery-profile settings the client relies on
   * ({@code max.block.ms}, serializers) cannot be overridden.
   */
  public TributaryBuilder producerProperty(String name, String value) {
    producerProperties.put(Objects.requireNonNull(name, "producer property name"), value);
    return this;
  }

  /**
   * Registers a health check before the client starts, so that the very first heartbeat already
   * reports it; see {@link Tributary#registerHealthCheck}.
   */
  public TributaryBuilder healthCheck(String name, HealthCheck check) {
    healthChecks.put(Objects.requireNonNull(name, "health check name"), Objects.requireNonNull(check, "health check"));
    return this;
  }

  /** The clock for timestamps and schedules; for tests. Default {@link Clock#systemUTC()}. */
  public TributaryBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * The factory for the client's two threads (the I/O thread and the scheduler). Default: named
   * daemon threads {@code tributary-io-<service>} and {@code tributary-scheduler-<service>}.
   */
  public TributaryBuilder threadFactory(ThreadFactory threadFactory) {
    this.threadFactory = threadFactory;
    return this;
  }

  /**
   * Spools business events to append-only files in this directory: every event is written there
   * before it is sent and stays until Kafka acknowledged it, so events survive a Kafka outage and a
   * crash of the process (the next start with the same directory sends them, in order). Key
   * {@code events.spool.dir}; default none: events are buffered in memory only, because a library
   * must not write to the disk unless asked. Use a directory of its own per client, on a local disk.
   */
  public TributaryBuilder eventsSpoolDir(Path dir) {
    this.eventsSpoolDir = dir;
    return this;
  }

  /** When spool appends are forced to the device. Key {@code events.spool.fsync} ({@code always}, {@code interval}, {@code never}); default interval. */
  public TributaryBuilder eventsSpoolFsync(SpoolFsync fsync) {
    this.eventsSpoolFsync = fsync;
    return this;
  }

  /** The interval of {@code events.spool.fsync=interval}, and of the spool's checkpoint. Key {@code events.spool.fsync.interval}; default 100 ms. */
  public TributaryBuilder eventsSpoolFsyncInterval(Duration interval) {
    this.eventsSpoolFsyncInterval = interval;
    return this;
  }

  /** The bound on the spool's files, in bytes (at least 64 KiB). Key {@code events.spool.max.bytes}; default 256 MiB. */
  public TributaryBuilder eventsSpoolMaxBytes(long bytes) {
    this.eventsSpoolMaxBytes = bytes;
    return this;
  }

  /** What a full spool does. Key {@code events.spool.overflow} ({@code reject}, {@code drop-oldest}, {@code drop-newest}); default reject. */
  public TributaryBuilder eventsSpoolOverflow(SpoolOverflow overflow) {
    this.eventsSpoolOverflow = overflow;
    return this;
  }

  /**
   * The directory log records are spilled to with {@code logs.overflow=spill}: while Kafka is
   * unreachable or slower than the application, the I/O thread moves buffered log records there and
   * sends them from there, in order; what is left at shutdown is sent by the next start with the same
   * directory. Key {@code logs.spool.dir}; default none. A directory of its own (not
   * {@code events.spool.dir}), on a local disk; unused unless the policy is spill.
   */
  public TributaryBuilder logsSpoolDir(Path dir) {
    this.logsSpoolDir = dir;
    return this;
  }

  /** The bound on the logs spool's files, in bytes (at least 64 KiB). Key {@code logs.spool.max.bytes}; default 256 MiB. */
  public TributaryBuilder logsSpoolMaxBytes(long bytes) {
    this.logsSpoolMaxBytes = bytes;
    return this;
  }

  /**
   * What a full logs spool does. Key {@code logs.spool.overflow} ({@code drop-oldest},
   * {@code drop-newest}, {@code reject}: the buffer fills and {@code sendLog} returns false); default
   * drop-oldest.
   */
  public TributaryBuilder logsSpoolOverflow(SpoolOverflow overflow) {
    this.logsSpoolOverflow = overflow;
    return this;
  }

  /** Consecutive failures that open a producer's circuit. Key {@code circuit.failure.threshold}; default {@value #DEFAULT_CIRCUIT_FAILURE_THRESHOLD}. */
  public TributaryBuilder circuitFailureThreshold(int failures) {
    this.circuitFailureThreshold = failures;
    return this;
  }

  /** How long an open circuit stays open before one probe record. Key {@code circuit.open.duration}; default 5 s. */
  public TributaryBuilder circuitOpenDuration(Duration duration) {
    this.circuitOpenDuration = duration;
    return this;
  }

  /**
   * Log records per second this client accepts (a token bucket on the caller's thread); what is over
   * it is refused, counted in {@code rejected} and {@code limited}. 0 turns the limit off. Key
   * {@code logs.rate.limit}; default {@value #DEFAULT_LOGS_RATE_LIMIT}.
   */
  public TributaryBuilder logsRateLimit(long recordsPerSecond) {
    this.logsRateLimit = recordsPerSecond;
    return this;
  }

  /** Log records accepted at once above the rate. Key {@code logs.rate.burst}; default {@value #DEFAULT_LOGS_RATE_BURST} (twice the limit when the limit is changed). */
  public TributaryBuilder logsRateBurst(long records) {
    this.logsRateBurst = records;
    return this;
  }

  /** Events per second this client accepts; 0 (the default) for no limit. Key {@code events.rate.limit}. */
  public TributaryBuilder eventsRateLimit(long recordsPerSecond) {
    this.eventsRateLimit = recordsPerSecond;
    return this;
  }

  /** Events accepted at once above the rate. Key {@code events.rate.burst}; default twice the limit. */
  public TributaryBuilder eventsRateBurst(long records) {
    this.eventsRateBurst = records;
    return this;
  }

  /**
   * The redaction rules applied to logs (message, labels, fields, exception message and stack
   * trace) and event attributes before they leave the process. Keys {@code redaction.builtin},
   * {@code redaction.fields}, {@code redaction.pattern.<name>}, {@code redaction.replacement};
   * default {@link Redaction#defaults()} (card numbers and e-mail addresses).
   */
  public TributaryBuilder redaction(Redaction redaction) {
    this.redaction = Objects.requireNonNull(redaction, "redaction");
    return this;
  }

  /** Changes the current redaction rules, e.g. {@code b.redaction(r -> r.fieldNames("password"))}. */
  public TributaryBuilder redaction(UnaryOperator<Redaction.Builder> change) {
    this.redaction = change.apply(redaction.toBuilder()).build();
    return this;
  }

  /**
   * Validates the configuration and starts the client. Kafka need not be reachable: the client
   * connects in the background and buffers meanwhile.
   *
   * @throws IllegalArgumentException naming the first invalid setting
   */
  public Tributary build() {
    return DefaultTributary.start(config());
  }

  /** The validated configuration, without starting anything. */
  ClientConfig config() {
    return new ClientConfig(
        bootstrapServers, serviceName, instanceId, serviceVersion, environment,
        metricsTopic, logsTopic, healthTopic, eventsTopicSuffix,
        metricsStep, healthInterval,
        logsBufferCapacity, logsOverflow, logsKeyedByInstance,
        eventsBufferCapacity, eventsOverflow, metricsBufferCapacity, metricsOverflow,
        maxSeries, maxSeriesPerMetric, maxMessageChars, maxStackTraceChars, maxRecordBytes,
        closeTimeout, shutdownHook, producerProperties, Map.copyOf(healthChecks), clock, threadFactory,
        new DeliverySettings(eventsSpoolDir, eventsSpoolFsync, eventsSpoolFsyncInterval, eventsSpoolMaxBytes,
            eventsSpoolOverflow, circuitFailureThreshold, circuitOpenDuration,
            logsRateLimit, burst(logsRateBurst, logsRateLimit, DEFAULT_LOGS_RATE_LIMIT, DEFAULT_LOGS_RATE_BURST),
            eventsRateLimit, burst(eventsRateBurst, eventsRateLimit, 0, 0),
            logsSpoolDir, logsSpoolMaxBytes, logsSpoolOverflow),
        redaction);
  }

  /** An explicit burst, else the default for the default rate, else twice the rate. */
  private static long burst(Long explicit, long rate, long defaultRate, long defaultBurst) {
    if (explicit != null) {
      return explicit;
    }
    if (rate == defaultRate && defaultBurst > 0) {
      return defaultBurst;
    }
    return rate > Long.MAX_VALUE / 2 ? rate : 2 * rate;
  }
}
