package dev.tributary.exporter.kafka;

import static dev.tributary.exporter.kafka.KafkaExporterKeys.ADMIN_TIMEOUT;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.ALERTS_DOMAIN;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.EVENTS_SPOOL_DIR;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.GROUPS_PATTERN;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.INTERVAL;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.MAX_GROUPS_PER_CYCLE;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.OFFSET_HISTORY;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.RATE_WINDOW;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.SERVICE_NAME;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.TOPICS_PATTERN;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.WEBHOOK_HOST;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.WEBHOOK_MAX_BYTES;
import static dev.tributary.exporter.kafka.KafkaExporterKeys.WEBHOOK_PORT;

import dev.tributary.Tributary;
import dev.tributary.TributaryBuilder;
import dev.tributary.sidecar.HttpEndpoints;
import dev.tributary.sidecar.SidecarConfig;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka exporter: every {@code interval} it reads the cluster through the {@link Admin} client
 * (brokers, controller, topics, partitions and replicas, log-end offsets, consumer groups and their
 * lag) and serves the result on {@code /metrics}; its webhook publishes Alertmanager's alerts to
 * {@code alerts.events} through a Tributary client.
 *
 * <p>Cycles run on one thread with a fixed delay between the end of one and the start of the next,
 * so they never overlap; every admin call is bounded by {@code admin.timeout}, and at most
 * {@code max.groups.per.cycle} groups are described per cycle. {@code /ready} is 200 while the last
 * cycle reached the cluster.
 *
 * <pre>{@code
 * try (KafkaExporter exporter = KafkaExporter.create(SidecarConfig.load(KafkaExporterKeys.all(), System.getenv())).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class KafkaExporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaExporter.class);

  private final SidecarConfig config;
  private final Clock clock;
  private final boolean scheduled;
  private final Pattern topics;
  private final Pattern groups;
  private final ExporterMetrics metrics = new ExporterMetrics();
  private ScheduledExecutorService executor;
  private Admin admin;
  private ClusterPoller poller;
  private Tributary client;
  private HttpEndpoints http;
  private AlertWebhook webhook;
  private volatile ClusterState state;
  private volatile boolean ready;
  private volatile boolean closed;

  private KafkaExporter(SidecarConfig config, Clock clock, boolean scheduled) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduled = scheduled;
    this.topics = pattern(TOPICS_PATTERN.name(), config.get(TOPICS_PATTERN));
    this.groups = pattern(GROUPS_PATTERN.name(), config.get(GROUPS_PATTERN));
    if (config.get(INTERVAL).isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    if (config.get(ADMIN_TIMEOUT).isZero()) {
      throw new IllegalArgumentException("admin.timeout must be positive");
    }
  }

  /**
   * An exporter (not started).
   *
   * @throws IllegalArgumentException if a pattern or duration is invalid
   */
  public static KafkaExporter create(SidecarConfig config) {
    return new KafkaExporter(config, Clock.systemUTC(), true);
  }

  /** An exporter with an injected clock whose cycles run only through {@link #collect()} (tests). */
  static KafkaExporter createManual(SidecarConfig config, Clock clock) {
    return new KafkaExporter(config, clock, false);
  }

  private static Pattern pattern(String key, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(key + " is not a regular expression: " + e.getDescription(), e);
    }
  }

  /**
   * Starts the admin client, the Tributary client, the endpoints, the webhook and the cycles.
   * Kafka need not be reachable.
   *
   * @return this exporter
   * @throws java.io.UncheckedIOException if a port cannot be bound (everything started is stopped again)
   */
  public synchronized KafkaExporter start() {
    if (executor != null) {
      throw new IllegalStateException("already started");
    }
    try {
      startAll();
    } catch (RuntimeException e) {
      close(); // a port that cannot be bound must not leave the clients' threads behind
      throw e;
    }
    return this;
  }

  private void startAll() {
    String bootstrap = config.get(SidecarConfig.BOOTSTRAP_SERVERS);
    Duration timeout = config.get(ADMIN_TIMEOUT);
    Map<String, Object> props = new HashMap<>(config.kafkaProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-kafka-exporter");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    admin = Admin.create(props);
    poller = new ClusterPoller(admin, clock, metrics, timeout, topics, groups, config.get(MAX_GROUPS_PER_CYCLE),
        config.get(OFFSET_HISTORY), config.get(RATE_WINDOW));
    client = tributary(bootstrap);
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tributary-kafka-exporter-poll");
      t.setDaemon(true);
      return t;
    });
    http = HttpEndpoints.builder()
        .host(config.get(SidecarConfig.HTTP_HOST))
        .port(config.get(SidecarConfig.HTTP_PORT))
        .security(config)
        .gzipLevel(config.get(SidecarConfig.HTTP_GZIP_LEVEL))
        .metrics(this::snapshots)
        .liveness(() -> !closed)
        .readiness(() -> ready)
        .start();
    webhook = AlertWebhook.start(config.get(WEBHOOK_HOST), config.get(WEBHOOK_PORT), client,
        config.get(ALERTS_DOMAIN), config.get(WEBHOOK_MAX_BYTES), metrics);
    if (scheduled) {
      executor.scheduleWithFixedDelay(this::cycle, 0, config.get(INTERVAL).toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.info("serving {}/metrics, webhook {}; cluster {} every {}; {}", http.baseUrl(), webhook.url(), bootstrap,
        config.get(INTERVAL), config);
  }

  private Tributary tributary(String bootstrap) {
    TributaryBuilder b = Tributary.builder()
        .bootstrapServers(bootstrap)
        .serviceName(config.get(SERVICE_NAME))
        .closeTimeout(config.get(SidecarConfig.SHUTDOWN_TIMEOUT));
    config.kafkaProperties().forEach((k, v) -> b.producerProperty(k, String.valueOf(v)));
    String spool = config.get(EVENTS_SPOOL_DIR);
    if (!spool.isBlank()) {
      b.eventsSpoolDir(Path.of(spool.trim()));
    }
    return b.build();
  }

  /** One cycle on the collection thread; never throws (the executor would stop scheduling). */
  private void cycle() {
    long start = System.nanoTime();
    ClusterState next = null;
    try {
      next = poller.poll();
    } catch (Throwable t) { // the schedule must survive anything
      metrics.adminError("cycle");
      LOG.error("collection cycle failed", t);
    }
    state = next;
    ready = next != null;
    metrics.cycle(next != null, (System.nanoTime() - start) / 1e9, clock.millis() / 1000.0);
    if (next == null) {
      LOG.warn("cluster {} not reachable; cluster metrics withdrawn until the next successful cycle",
          config.get(SidecarConfig.BOOTSTRAP_SERVERS));
    }
  }

  /**
   * Runs one cycle now on the collection thread (after any cycle in progress) and waits for it.
   *
   * @return what the cycle saw, or {@code null} if it could not reach the cluster
   */
  ClusterState collect() throws InterruptedException, ExecutionException, TimeoutException {
    Future<?> f = executor.submit(this::cycle);
    f.get(6 * (config.get(ADMIN_TIMEOUT).toMillis() + 1000) + 10_000, TimeUnit.MILLISECONDS);
    return state;
  }

  /** What {@code /metrics} shows: the cluster (while reachable) and the exporter's own metrics. */
  MetricSnapshots snapshots() {
    List<MetricSnapshot> all = new ArrayList<>();
    ClusterState s = state;
    if (s != null) {
      all.addAll(ClusterMetrics.snapshots(s, clock.millis()));
    }
    metrics.registry().scrape().forEach(all::add);
    return new MetricSnapshots(all);
  }

  /** The base URL of {@code /metrics}, {@code /health}, {@code /ready}. */
  public String baseUrl() {
    return http.baseUrl();
  }

  /** The URL Alertmanager's webhook receiver posts to. */
  public String webhookUrl() {
    return webhook.url();
  }

  /** Whether the last cycle reached the cluster ({@code /ready}). */
  public boolean isReady() {
    return ready;
  }

  /**
   * Stops the cycles (one in progress ends within the admin timeout), the endpoints, the webhook,
   * then flushes the Tributary client within {@code shutdown.timeout} and closes the admin client.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready = false;
    if (webhook != null) {
      webhook.close();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (http != null) {
      http.close();
    }
    Duration grace = config.get(SidecarConfig.SHUTDOWN_TIMEOUT);
    if (client != null) {
      client.close();
    }
    if (admin != null) {
      admin.close(grace);
    }
  }
}
