package dev.tributary.sidecar.prometheus;

import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.DOWN_GRACE;
import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.HEALTH_TOPIC;
import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.MAX_SERIES;
import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.MAX_SERIES_PER_METRIC;
import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.METRICS_TOPIC;
import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.MISSED_HEARTBEATS;
import static dev.tributary.sidecar.prometheus.PrometheusSidecarKeys.STALENESS_TIMEOUT;

import dev.tributary.sidecar.ConsumeLoop;
import dev.tributary.sidecar.DeadLetterWriter;
import dev.tributary.sidecar.HttpEndpoints;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.sidecar.SidecarMetrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus sidecar: consumes {@code metrics.events} and {@code health.events} as one member of
 * a consumer group and serves the newest sample of every series on {@code /metrics}.
 *
 * <p>Both topics are subscribed with Kafka's {@link RangeAssignor}: they share the
 * {@code service/instance} key and their partition count, so partition {@code n} of both goes to
 * the same member, which then owns an instance's series <em>and</em> its heartbeats. Scaled out,
 * members serve disjoint instances; Prometheus scrapes all of them.
 *
 * <pre>{@code
 * try (PrometheusSidecar sidecar = PrometheusSidecar.create(SidecarConfig.load(PrometheusSidecarKeys.all(), System.getenv()))
 *     .start()) {
 *   sidecar.awaitTermination();
 * }
 * }</pre>
 */
public final class PrometheusSidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusSidecar.class);

  private final SidecarConfig config;
  private final Clock clock;
  private final SidecarMetrics metrics = SidecarMetrics.create();
  private final SeriesStore store;
  private final HealthStore health;
  private DeadLetterWriter dlq;
  private ConsumeLoop loop;
  private HttpEndpoints http;
  private IngestHandler handler;

  private PrometheusSidecar(SidecarConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    long staleness = config.get(STALENESS_TIMEOUT).toMillis();
    long grace = config.get(DOWN_GRACE).toMillis();
    this.store = new SeriesStore(config.get(MAX_SERIES), config.get(MAX_SERIES_PER_METRIC), staleness, grace, clock);
    this.health = new HealthStore(config.get(MISSED_HEARTBEATS), staleness, grace, clock);
  }

  /** A sidecar (not started) with the system clock. */
  public static PrometheusSidecar create(SidecarConfig config) {
    return new PrometheusSidecar(config, Clock.systemUTC());
  }

  /** A sidecar with an injected clock, for expiry tests. */
  static PrometheusSidecar create(SidecarConfig config, Clock clock) {
    return new PrometheusSidecar(config, clock);
  }

  /**
   * Starts the HTTP endpoints, the dead-letter producer and the consume loop.
   *
   * @return this sidecar
   */
  public synchronized PrometheusSidecar start() {
    if (loop != null) {
      throw new IllegalStateException("already started");
    }
    String bootstrap = config.get(SidecarConfig.BOOTSTRAP_SERVERS);
    StoreMetrics storeMetrics = new StoreMetrics(metrics.registry(), store, health);
    dlq = DeadLetterWriter.create(bootstrap, config.kafkaProperties(), metrics);
    handler = new IngestHandler(config.get(METRICS_TOPIC), config.get(HEALTH_TOPIC), store, health, dlq, metrics,
        storeMetrics, clock, config.get(STALENESS_TIMEOUT), config.get(PrometheusSidecarKeys.DECODE_TEMPLATES));
    loop = ConsumeLoop.builder()
        .bootstrapServers(bootstrap)
        .groupId(config.get(SidecarConfig.GROUP_ID))
        .topics(List.of(config.get(METRICS_TOPIC), config.get(HEALTH_TOPIC)))
        .partitionAssignor(RangeAssignor.class.getName())
        .kafkaProperties(config.kafkaProperties())
        .handler(handler)
        .deadLetters(dlq)
        .metrics(metrics)
        .shutdownTimeout(config.get(SidecarConfig.SHUTDOWN_TIMEOUT))
        .threadName("tributary-prometheus-consume")
        .build();
    http = HttpEndpoints.builder()
        .host(config.get(SidecarConfig.HTTP_HOST))
        .port(config.get(SidecarConfig.HTTP_PORT))
        .security(config)
        .gzipLevel(config.get(SidecarConfig.HTTP_GZIP_LEVEL))
        .metrics(this::collect)
        .liveness(loop::isAlive)
        .readiness(loop::isReady)
        .selfMetrics(metrics)
        .start();
    loop.start();
    LOG.info("serving {}/metrics; consuming {} and {} as group {}; {}", http.baseUrl(), config.get(METRICS_TOPIC),
        config.get(HEALTH_TOPIC), config.get(SidecarConfig.GROUP_ID), config);
    return this;
  }

  /** Everything {@code /metrics} shows: the series, the heartbeats, the self-metrics. */
  MetricSnapshots collect() {
    List<MetricSnapshot> all = new ArrayList<>(store.snapshots());
    all.addAll(health.snapshots());
    metrics.registry().scrape().forEach(all::add);
    return new MetricSnapshots(all);
  }

  /** The base URL of the endpoints, e.g. {@code http://127.0.0.1:9400}. */
  public String baseUrl() {
    return http.baseUrl();
  }

  /** Whether the sidecar caught up to the end offsets seen at start ({@code /ready}). */
  public boolean isReady() {
    return loop != null && loop.isReady();
  }

  /** Whether the consume thread runs ({@code /health}). */
  public boolean isAlive() {
    return loop != null && loop.isAlive();
  }

  /** The number of series held. */
  int seriesCount() {
    return store.size();
  }

  /**
   * Stops consuming (the current batch finishes, offsets are committed, the group is left), then
   * the dead-letter producer and the endpoints. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
    }
    if (dlq != null) {
      dlq.close();
    }
    if (http != null) {
      http.close();
    }
  }

  /** The shutdown bound, for {@link Main}. */
  Duration shutdownTimeout() {
    return config.get(SidecarConfig.SHUTDOWN_TIMEOUT);
  }
}
