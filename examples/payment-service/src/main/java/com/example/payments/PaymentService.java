package com.example.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.Registration;
import dev.tributary.Tributary;
import dev.tributary.logback.TributaryClients;
import dev.tributary.micrometer.TributaryMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment service: an HTTP API that validates payments and hands them to a processor through
 * Kafka, and the processor (a consumer in the same process). Its telemetry goes through one
 * Tributary client: logs through the Logback appender ({@code <clientRef>payment-service</clientRef>}
 * in {@code logback.xml}), metrics through the Micrometer bridge and {@code sendMetric}, events
 * through {@code sendEvent}, heartbeats from the client itself.
 *
 * <pre>{@code
 * try (PaymentService service = PaymentService.builder().bootstrapServers("127.0.0.1:9092").httpPort(8080).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class PaymentService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

  /** The {@code service} label and {@code service.name} of everything the service sends. */
  public static final String SERVICE_NAME = "payment-service";
  /** The name under which the client is registered for the Logback appender's {@code clientRef}. */
  public static final String CLIENT_REF = "payment-service";
  public static final String DEFAULT_REQUESTS_TOPIC = "payments.requests";
  public static final String DEFAULT_CONSUMER_GROUP = "payment-processor";
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 8080;
  /** How long a request waits for Kafka before it is answered 503. */
  public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_BATCH_SIZE = 100;
  public static final int DEFAULT_HTTP_THREADS = 8;

  /**
   * How the simulated payment provider behaves.
   *
   * @param minLatency shortest processing time of a payment
   * @param maxLatency longest processing time of a payment
   * @param declineAbove amounts above this are declined
   * @param failureRatio share of the other payments that fail (0..1)
   */
  public record Simulation(Duration minLatency, Duration maxLatency, BigDecimal declineAbove, double failureRatio) {
    /** 2-25 ms per payment, amounts over 5000 declined, 2% failures. */
    public static final Simulation DEFAULT =
        new Simulation(Duration.ofMillis(2), Duration.ofMillis(25), new BigDecimal("5000"), 0.02);

    public Simulation {
      Objects.requireNonNull(minLatency, "minLatency");
      Objects.requireNonNull(maxLatency, "maxLatency");
      Objects.requireNonNull(declineAbove, "declineAbove");
      if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
        throw new IllegalArgumentException("latencies must satisfy 0 <= minLatency <= maxLatency");
      }
      if (failureRatio < 0 || failureRatio > 1) {
        throw new IllegalArgumentException("failureRatio must be within [0, 1]");
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService httpExecutor;
  private final Tributary tributary;
  private final boolean ownsClient;
  private final Registration clientRegistration;
  private final TributaryMeterRegistry registry;
  private final PaymentPublisher publisher;
  private final PaymentProcessor processor;
  private final PaymentStats stats;
  private boolean closed;

  private PaymentService(Builder b) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ownsClient = b.client == null;
    tributary = ownsClient
        ? Tributary.builder().fromEnvironment().bootstrapServers(b.bootstrapServers).serviceName(SERVICE_NAME).build()
        : b.client;
    Registration registration = null;
    TributaryMeterRegistry meters = null;
    PaymentPublisher pub = null;
    PaymentProcessor proc = null;
    HttpServer http = null;
    try {
      registration = TributaryClients.register(b.clientRef, tributary);
      String step = b.metricsStep;
      meters = TributaryMeterRegistry.builder(key -> key.equals("tributary.step") ? step : null).client(tributary).build();
      stats = new PaymentStats();
      PaymentMetrics metrics = new PaymentMetrics(meters, tributary);
      pub = new PaymentPublisher(b.bootstrapServers, b.requestsTopic, b.kafkaTimeout, json);
      proc = new PaymentProcessor(b.bootstrapServers, b.requestsTopic, b.consumerGroup, tributary, metrics, stats,
          json, b.simulation);
      PaymentApi api = new PaymentApi(json, new PaymentValidator(b.maxBatchSize), pub, metrics, stats, tributary,
          proc::isRunning);
      http = HttpServer.create(new InetSocketAddress(b.httpHost, b.httpPort), 64);
      http.createContext("/", api::handle);
    } catch (IOException | RuntimeException e) {
      closeQuietly(http, proc, pub, meters, registration);
      if (ownsClient) {
        tributary.close();
      }
      throw e;
    }
    clientRegistration = registration;
    registry = meters;
    publisher = pub;
    processor = proc;
    server = http;
    AtomicInteger n = new AtomicInteger();
    httpExecutor = Executors.newFixedThreadPool(b.httpThreads, r -> {
      Thread t = new Thread(r, "payment-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(httpExecutor);
  }

  private static void closeQuietly(HttpServer http, PaymentProcessor proc, PaymentPublisher pub,
      TributaryMeterRegistry meters, Registration registration) {
    if (http != null) {
      http.stop(0);
    }
    if (proc != null) {
      proc.close();
    }
    if (pub != null) {
      pub.close();
    }
    if (meters != null) {
      meters.close();
    }
    if (registration != null) {
      registration.close();
    }
  }

  /** A builder; {@link Builder#bootstrapServers(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  private PaymentService startServing() {
    processor.start();
    if (!publisher.warmUp()) {
      LOG.warn("Kafka did not answer within the Kafka timeout; payments get 503 until it does");
    }
    server.start();
    LOG.info("payment service listening on {}", url());
    return this;
  }

  /** The base URL of the API, {@code http://127.0.0.1:<port>}. */
  public String url() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  /** The port the API listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Payments the processor has finished (completed, declined or failed) since the start. */
  public long processedPayments() {
    return stats.processedTotal();
  }

  /** The client the service sends its telemetry through. */
  public Tributary tributary() {
    return tributary;
  }

  /**
   * Stops the API (in-flight requests get up to a second), the processor, the publisher, then
   * publishes the final metrics and closes the client if the service created it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("payment service stopping");
    server.stop(1);
    httpExecutor.shutdown();
    try {
      httpExecutor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    processor.close();
    publisher.close();
    registry.close();
    clientRegistration.close();
    if (ownsClient) {
      tributary.close();
    }
  }

  /** Configures and starts a {@link PaymentService}. */
  public static final class Builder {
    private String bootstrapServers;
    private String httpHost = DEFAULT_HTTP_HOST;
    private int httpPort = DEFAULT_HTTP_PORT;
    private int httpThreads = DEFAULT_HTTP_THREADS;
    private String requestsTopic = DEFAULT_REQUESTS_TOPIC;
    private String consumerGroup = DEFAULT_CONSUMER_GROUP;
    private Duration kafkaTimeout = DEFAULT_KAFKA_TIMEOUT;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private Simulation simulation = Simulation.DEFAULT;
    private Tributary client;
    private String clientRef = CLIENT_REF;
    private String metricsStep = System.getenv().getOrDefault("TRIBUTARY_METRICS_STEP", "10s");

    private Builder() {}

    /** Kafka for the payment records (and for the telemetry, unless a client is given). Required. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = requireText(bootstrapServers, "bootstrapServers");
      return this;
    }

    /** Address of the API; default {@value #DEFAULT_HTTP_HOST}. */
    public Builder httpHost(String httpHost) {
      this.httpHost = requireText(httpHost, "httpHost");
      return this;
    }

    /** Port of the API, 0 for a free one; default {@value #DEFAULT_HTTP_PORT}. */
    public Builder httpPort(int httpPort) {
      if (httpPort < 0 || httpPort > 65535) {
        throw new IllegalArgumentException("httpPort must be within 0..65535");
      }
      this.httpPort = httpPort;
      return this;
    }

    /** Threads serving HTTP requests; default {@value #DEFAULT_HTTP_THREADS}. */
    public Builder httpThreads(int httpThreads) {
      if (httpThreads <= 0) {
        throw new IllegalArgumentException("httpThreads must be positive");
      }
      this.httpThreads = httpThreads;
      return this;
    }

    /** The topic between API and processor; default {@value #DEFAULT_REQUESTS_TOPIC}. */
    public Builder requestsTopic(String requestsTopic) {
      this.requestsTopic = requireText(requestsTopic, "requestsTopic");
      return this;
    }

    /** The processor's consumer group; default {@value #DEFAULT_CONSUMER_GROUP}. */
    public Builder consumerGroup(String consumerGroup) {
      this.consumerGroup = requireText(consumerGroup, "consumerGroup");
      return this;
    }

    /** How long a request waits for Kafka before a 503; default 2 s. */
    public Builder kafkaTimeout(Duration kafkaTimeout) {
      if (kafkaTimeout == null || kafkaTimeout.toMillis() < 100 || kafkaTimeout.toMillis() > 60_000) {
        throw new IllegalArgumentException("kafkaTimeout must be within 100 ms..60 s");
      }
      this.kafkaTimeout = kafkaTimeout;
      return this;
    }

    /** Most payments in one batch request; default {@value #DEFAULT_MAX_BATCH_SIZE}. */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize <= 0) {
        throw new IllegalArgumentException("maxBatchSize must be positive");
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** The simulated provider; default {@link Simulation#DEFAULT}. */
    public Builder simulation(Simulation simulation) {
      this.simulation = Objects.requireNonNull(simulation, "simulation");
      return this;
    }

    /**
     * The Tributary client to send telemetry through (the service then never closes it). Default:
     * one built from the environment ({@code TRIBUTARY_*}, see docs/sdk-core.md) with service name
     * {@value PaymentService#SERVICE_NAME} and these bootstrap servers, closed with the service.
     */
    public Builder client(Tributary client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The name the client is registered under in {@code TributaryClients}, for the Logback
     * appender's {@code <clientRef>}; default {@value PaymentService#CLIENT_REF}. Two services in one
     * JVM need two names.
     */
    public Builder clientRef(String clientRef) {
      this.clientRef = requireText(clientRef, "clientRef");
      return this;
    }

    /**
     * The window of the Micrometer registry's client-side statistics ({@code _max}); set it to the
     * client's {@code metrics.step}. Default: {@code TRIBUTARY_METRICS_STEP}, else {@code 10s}.
     */
    public Builder metricsStep(Duration step) {
      this.metricsStep = Objects.requireNonNull(step, "step").toMillis() + "ms";
      return this;
    }

    /**
     * Starts the processor and the API.
     *
     * @throws IllegalStateException if bootstrapServers is missing
     * @throws UncheckedIOException if the port cannot be bound
     */
    public PaymentService start() {
      if (bootstrapServers == null) {
        throw new IllegalStateException("bootstrapServers is required");
      }
      try {
        return new PaymentService(this).startServing();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + httpHost + ":" + httpPort, e);
      }
    }

    private static String requireText(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
