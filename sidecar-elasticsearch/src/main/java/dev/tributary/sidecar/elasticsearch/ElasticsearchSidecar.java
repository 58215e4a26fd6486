package dev.tributary.sidecar.elasticsearch;

import dev.tributary.accounting.SequenceTracker;
import dev.tributary.sidecar.ConsumeLoop;
import dev.tributary.sidecar.DeadLetterWriter;
import dev.tributary.sidecar.HttpEndpoints;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.sidecar.SidecarMetrics;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elasticsearch sidecar: a {@link ConsumeLoop} over {@code logs.events} and the business event
 * topics feeding an {@link IndexingHandler}, a {@link DeadLetterWriter}, and {@code /metrics},
 * {@code /health}, {@code /ready}. {@link #close()} drains what is buffered into Elasticsearch
 * (bounded by {@code shutdown.timeout}), commits, leaves the group and stops the endpoints.
 */
public final class ElasticsearchSidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSidecar.class);
  /** Pattern subscriptions see new topics (a new event domain) within this: 30 s (Kafka's default is 5 min). */
  static final int DEFAULT_METADATA_MAX_AGE_MS = 30_000;

  private final ElasticsearchSettings settings;
  private final SidecarMetrics metrics;
  private final SearchTransport transport;
  private final DeadLetterWriter deadLetters;
  private final IndexingHandler handler;
  private final ElasticsearchMetrics esMetrics;
  private final ConsumeLoop loop;
  private final HttpEndpoints http;
  private final Duration shutdownTimeout;
  private volatile boolean closed;
  private final CountDownLatch closedLatch = new CountDownLatch(1);

  private ElasticsearchSidecar(SidecarConfig config) {
    this.settings = new ElasticsearchSettings(config);
    this.shutdownTimeout = config.get(SidecarConfig.SHUTDOWN_TIMEOUT);
    this.metrics = SidecarMetrics.create();
    this.esMetrics = new ElasticsearchMetrics(metrics.registry());
    String bootstrap = config.get(SidecarConfig.BOOTSTRAP_SERVERS);

    Map<String, Object> kafka = new HashMap<>();
    kafka.put("max.poll.records", settings.get(ElasticsearchSettings.BULK_MAX_ACTIONS));
    kafka.put("metadata.max.age.ms", DEFAULT_METADATA_MAX_AGE_MS);
    kafka.putAll(config.kafkaProperties());
    int maxPollRecords = Integer.parseInt(String.valueOf(kafka.get("max.poll.records")));

    this.transport = SearchTransport.create(settings);
    Templates templates = settings.installTemplates
        ? new Templates(settings.naming, settings.get(ElasticsearchSettings.TEMPLATE_PRIORITY),
            settings.get(ElasticsearchSettings.INDEX_REPLICAS), settings.get(ElasticsearchSettings.FIELDS_LIMIT))
        : null;
    this.deadLetters = DeadLetterWriter.create(bootstrap, kafka, metrics);
    IndexingHandler.Options options = new IndexingHandler.Options(
        settings.get(ElasticsearchSettings.BULK_MAX_ACTIONS),
        settings.get(ElasticsearchSettings.BULK_MAX_BYTES),
        settings.get(ElasticsearchSettings.BULK_INTERVAL),
        settings.get(ElasticsearchSettings.BUFFER_MAX_RECORDS),
        settings.get(ElasticsearchSettings.BUFFER_MAX_BYTES),
        settings.get(ElasticsearchSettings.RETRY_INITIAL_BACKOFF),
        settings.get(ElasticsearchSettings.RETRY_MAX_BACKOFF),
        settings.get(ElasticsearchSettings.RETRY_MAX_ATTEMPTS),
        maxPollRecords,
        settings.get(ElasticsearchSettings.LOGS_TOPIC));
    SequenceTracker.Listener sequences = new SequenceTracker.Listener() {
      @Override
      public void gaps(String service, String stream, long missing) {
        metrics.sequenceGaps(service, missing);
      }

      @Override
      public void duplicates(String service, String stream, long count) {
        metrics.sequenceDuplicates(service, count);
      }
    };
    this.handler = new IndexingHandler(options, settings.naming, transport, templates, deadLetters, esMetrics,
        sequences, this::accessProblem, System::nanoTime);
    this.loop = ConsumeLoop.builder()
        .bootstrapServers(bootstrap)
        .groupId(config.get(SidecarConfig.GROUP_ID))
        .topicPattern(settings.topicPattern)
        .kafkaProperties(kafka)
        .handler(handler)
        .metrics(metrics)
        .shutdownTimeout(shutdownTimeout)
        .threadName("tributary-elasticsearch-consume")
        .build();
    try {
      this.http = HttpEndpoints.builder()
          .host(config.get(SidecarConfig.HTTP_HOST))
          .port(config.get(SidecarConfig.HTTP_PORT))
          .security(config)
          .gzipLevel(config.get(SidecarConfig.HTTP_GZIP_LEVEL))
          .metrics(metrics.registry()::scrape)
          .liveness(loop::isAlive)
          .readiness(() -> loop.isReady() && handler.isReady())
          .selfMetrics(metrics)
          .start();
    } catch (RuntimeException e) {
      deadLetters.close();
      transport.close();
      throw e;
    }
  }

  /**
   * Starts a sidecar: validates the configuration, binds the HTTP endpoints and starts consuming.
   * Elasticsearch need not be up: templates are installed (and documents indexed) once it answers.
   *
   * @throws IllegalArgumentException if the configuration is invalid
   * @throws UncheckedIOException if the HTTP port cannot be bound
   */
  public static ElasticsearchSidecar start(SidecarConfig config) {
    ElasticsearchSidecar sidecar = new ElasticsearchSidecar(config);
    sidecar.loop.start();
    LOG.info("elasticsearch sidecar started: {} -> {}, group {}, topics /{}/, endpoints {}", config.get(SidecarConfig.BOOTSTRAP_SERVERS),
        sidecar.settings.urls, config.get(SidecarConfig.GROUP_ID), sidecar.settings.topicPattern, sidecar.http.baseUrl());
    return sidecar;
  }

  /**
   * Called once, on the consume thread, when Elasticsearch refused the credentials or the TLS
   * handshake failed: logs the cause once and stops the sidecar on another thread (close() joins
   * the consume thread).
   */
  private void accessProblem(String problem) {
    LOG.error("{}; the sidecar stops (nothing more is indexed or committed; fix the configuration and start it again)",
        problem);
    Thread stopper = new Thread(this::close, "tributary-elasticsearch-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * Why the sidecar stopped by itself: Elasticsearch refused its credentials or privileges, or the
   * TLS handshake failed. Retrying cannot fix either, so it stops instead of retrying forever.
   *
   * @return the cause, naming the setting to change; empty while it runs or after a normal close
   */
  public Optional<String> failure() {
    return Optional.ofNullable(handler.stoppedBy());
  }

  /**
   * Waits until the sidecar is closed, by {@link #close()} or because it stopped by itself
   * ({@link #failure()}).
   *
   * @return whether it was closed within {@code timeout}
   */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Documents Elasticsearch acknowledged so far (what {@code /metrics} shows, read in-process). */
  long documentsIndexed() {
    return esMetrics.indexedTotal();
  }

  /** The base URL of {@code /metrics}, {@code /health} and {@code /ready}. */
  public String endpoint() {
    return http.baseUrl();
  }

  /** Whether the consume thread runs. */
  public boolean isAlive() {
    return loop.isAlive();
  }

  /** Stops gracefully within about {@code shutdown.timeout}; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!handler.drain(shutdownTimeout)) {
        LOG.warn("shutdown: not everything buffered was indexed within {}; it is re-read at the next start", shutdownTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loop.close();
    handler.close();
    deadLetters.close();
    transport.close();
    http.close();
    LOG.info("elasticsearch sidecar stopped");
    closedLatch.countDown();
  }
}
