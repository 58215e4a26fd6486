package dev.tributary.sidecar;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP endpoints on the JDK's built-in server:
 * <ul>
 *   <li>{@code /metrics}: the {@link MetricSnapshots} of a supplier, written by Prometheus
 *       client_java's exposition formats chosen by the {@code Accept} header (OpenMetrics 1.0 or
 *       text 0.0.4; protobuf is not offered), gzip-compressed when {@code Accept-Encoding} allows
 *       (deflate level 1 by default, {@link Builder#gzipLevel});</li>
 *   <li>{@code /health}: 200 while the liveness check holds, else 503;</li>
 *   <li>{@code /ready}: 200 once the readiness check holds, else 503.</li>
 * </ul>
 * Bound to {@code 127.0.0.1} unless told otherwise. Requests are served by two daemon threads, so a
 * slow scrape never stalls {@code /health}.
 *
 * <p>Optionally secured, in the style of Prometheus' web configuration: HTTPS with a keystore
 * ({@link Builder#tls}) and HTTP basic authentication of every endpoint against bcrypt hashes
 * ({@link Builder#basicAuthUsers}); {@link Builder#security(SidecarConfig)} takes both from the
 * {@code http.tls.*} and {@code http.basic.auth.users} keys. A request without valid credentials
 * gets 401 with {@code WWW-Authenticate: Basic realm="tributary"}.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
  private static final int THREADS = 2;
  private static final int BUFFER = 64 * 1024;

  private final HttpServer server;
  private final String scheme;
  private final ExecutorService executor;
  private final Supplier<MetricSnapshots> metrics;
  private final BooleanSupplier live;
  private final BooleanSupplier ready;
  private final SidecarMetrics selfMetrics;
  private final int gzipLevel;
  private final ExpositionFormats formats = ExpositionFormats.init();

  private HttpEndpoints(Builder b) throws IOException {
    this.metrics = b.metrics;
    this.live = b.live;
    this.ready = b.ready;
    this.selfMetrics = b.selfMetrics;
    this.gzipLevel = b.gzipLevel;
    InetSocketAddress address = new InetSocketAddress(b.host, b.port);
    if (b.tls != null) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(b.tls));
      this.server = https;
    } else {
      this.server = HttpServer.create(address, 64);
    }
    this.scheme = b.tls != null ? "https" : "http";
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "tributary-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    Authenticator auth = b.users.isEmpty() ? null : new BcryptAuthenticator(b.users);
    for (HttpContext context : new HttpContext[] {
        server.createContext("/metrics", this::metrics),
        server.createContext("/health", ex -> status(ex, live.getAsBoolean(), "live\n", "not live\n")),
        server.createContext("/ready", ex -> status(ex, ready.getAsBoolean(), "ready\n", "not ready\n"))}) {
      if (auth != null) {
        context.setAuthenticator(auth);
      }
    }
  }

  /** A builder; the metrics supplier is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:9400}, or {@code https://...} with TLS. */
  public String baseUrl() {
    InetSocketAddress a = server.getAddress();
    return scheme + "://" + a.getHostString() + ":" + a.getPort();
  }

  private void metrics(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, 405, "only GET\n");
        return;
      }
      long start = System.nanoTime();
      ExpositionFormatWriter writer = formats.findWriter(ex.getRequestHeaders().getFirst("Accept"));
      if (!writer.isAvailable()) {
        writer = formats.getPrometheusTextFormatWriter(); // protobuf needs a library we do not ship
      }
      MetricSnapshots snapshots;
      try {
        snapshots = metrics.get();
      } catch (RuntimeException e) {
        LOG.error("collecting metrics failed", e);
        send(ex, 500, "collecting metrics failed: " + e + "\n");
        return;
      }
      boolean gzip = acceptsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
      ex.getResponseHeaders().set("Content-Type", writer.getContentType());
      if (gzip) {
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, 0); // chunked: the body is streamed as it is written
      OutputStream body = ex.getResponseBody();
      OutputStream out = gzip ? gzip(body, gzipLevel) : new BufferedOutputStream(body, BUFFER);
      writer.write(out, snapshots);
      if (selfMetrics != null) {
        // Before close(): the client has the whole response only after it, so a test (or a
        // scraper) reading the histogram next sees this scrape counted.
        selfMetrics.scrapeDuration((System.nanoTime() - start) / 1e9);
      }
      out.close();
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("scrape aborted: {}", e.toString()); // the client went away
    }
  }

  /**
   * A gzip stream at a deflate level, with the buffer {@code /metrics} writes through. Level 1 is
   * the endpoints' default: on a 100,000-series exposition (22 MB of text) it takes 36 ms where the
   * JDK's default level 6 takes 153 ms, for 1.29 MB instead of 1.03 MB (docs/benchmarks.md). A
   * scrape is CPU on the sidecar every scrape interval; 25% more of an already 17× smaller body is
   * the cheaper side of that trade. Public for the scrape benchmark.
   *
   * @throws IllegalArgumentException if {@code level} is not 1 to 9
   */
  public static OutputStream gzip(OutputStream body, int level) throws IOException {
    checkGzipLevel(level);
    return new GZIPOutputStream(body, BUFFER) {
      {
        def.setLevel(level);
      }
    };
  }

  private static int checkGzipLevel(int level) {
    if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("gzip level must be 1 to 9, was " + level);
    }
    return level;
  }

  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] kv = part.trim().split(";");
      if (kv[0].trim().equalsIgnoreCase("gzip")) {
        for (int i = 1; i < kv.length; i++) {
          String p = kv[i].trim().replace(" ", "");
          if (p.equals("q=0") || p.equals("q=0.0") || p.equals("q=0.00") || p.equals("q=0.000")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static void status(HttpExchange ex, boolean ok, String yes, String no) throws IOException {
    try (ex) {
      send(ex, ok ? 200 : 503, ok ? yes : no);
    }
  }

  private static void send(HttpExchange ex, int code, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(code, -1);
      return;
    }
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** Stops serving at once (scrapers retry). Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Configures {@link HttpEndpoints}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Supplier<MetricSnapshots> metrics;
    private BooleanSupplier live = () -> true;
    private BooleanSupplier ready = () -> true;
    private SidecarMetrics selfMetrics;
    private SSLContext tls;
    private Map<String, String> users = Map.of();
    private int gzipLevel = SidecarConfig.HTTP_GZIP_LEVEL.defaultValue();

    private Builder() {}

    /**
     * The deflate level of gzip responses, 1 (fastest, the default) to 9 (smallest).
     *
     * @throws IllegalArgumentException if not 1 to 9
     */
    public Builder gzipLevel(int level) {
      this.gzipLevel = checkGzipLevel(level);
      return this;
    }

    /**
     * Serves HTTPS with this context (its key managers hold the server certificate); default plain HTTP.
     */
    public Builder tls(SSLContext tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Requires HTTP basic authentication on every endpoint: user name to bcrypt hash ({@code $2a$},
     * {@code $2b$}, {@code $2y$}, as in Prometheus' {@code basic_auth_users}); empty (the default)
     * for none.
     *
     * @throws IllegalArgumentException if a hash is not a bcrypt hash
     */
    public Builder basicAuthUsers(Map<String, String> users) {
      for (Map.Entry<String, String> e : users.entrySet()) {
        if (!BcryptAuthenticator.isBcrypt(e.getValue())) {
          throw new IllegalArgumentException("the hash of user '" + e.getKey() + "' is not a bcrypt hash");
        }
      }
      this.users = Map.copyOf(users);
      return this;
    }

    /**
     * Applies {@link SidecarConfig#HTTP_TLS_KEYSTORE} (with its password and type) and
     * {@link SidecarConfig#HTTP_BASIC_AUTH_USERS}, if set.
     *
     * @throws IllegalArgumentException if the keystore cannot be loaded or a user entry is invalid
     */
    public Builder security(SidecarConfig config) {
      String keystore = config.get(SidecarConfig.HTTP_TLS_KEYSTORE);
      if (!keystore.isBlank()) {
        tls(EndpointSecurity.sslContext(Path.of(keystore.trim()), config.get(SidecarConfig.HTTP_TLS_KEYSTORE_TYPE),
            config.get(SidecarConfig.HTTP_TLS_KEYSTORE_PASSWORD).toCharArray()));
      }
      return basicAuthUsers(EndpointSecurity.parseUsers(config.get(SidecarConfig.HTTP_BASIC_AUTH_USERS)));
    }

    /** The address to bind; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** What {@code /metrics} shows; called once per scrape. */
    public Builder metrics(Supplier<MetricSnapshots> metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The liveness check of {@code /health}; default always live. */
    public Builder liveness(BooleanSupplier live) {
      this.live = Objects.requireNonNull(live, "live");
      return this;
    }

    /** The readiness check of {@code /ready}; default always ready. */
    public Builder readiness(BooleanSupplier ready) {
      this.ready = Objects.requireNonNull(ready, "ready");
      return this;
    }

    /** Where scrape durations are recorded; optional. */
    public Builder selfMetrics(SidecarMetrics selfMetrics) {
      this.selfMetrics = selfMetrics;
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public HttpEndpoints start() {
      if (metrics == null) {
        throw new IllegalArgumentException("metrics is required");
      }
      HttpEndpoints endpoints;
      try {
        endpoints = new HttpEndpoints(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind HTTP endpoints to " + host + ":" + port + ": " + e.getMessage(), e);
      }
      endpoints.server.start();
      return endpoints;
    }
  }
}
