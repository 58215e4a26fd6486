package dev.tributary.exporter.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.Tributary;
import dev.tributary.exporter.kafka.AlertmanagerPayload.Alert;
import dev.tributary.exporter.kafka.ExporterMetrics.WebhookOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alertmanager webhook receiver: {@code POST /alerts} with a version 4 payload publishes every
 * alert, firing or resolved, as a Tributary event ({@code sendEvent(domain, "alert.<status>",
 * fingerprint, attributes)}), so it lands in {@code <domain>.events} keyed by the fingerprint.
 *
 * <p>{@code sendEvent} never blocks, so a slow or absent Kafka never holds a request: the event is
 * buffered (and spooled, when a spool directory is configured). Answers: 200 when every alert was
 * accepted; 400 for a payload that is not Alertmanager's (counted); 413 above the size cap; 405 for
 * another method; 503 when the client refused an alert (buffer or spool full), so Alertmanager retries.
 */
final class AlertWebhook implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);
  /** The request path: {@value}. */
  static final String PATH = "/alerts";
  private static final int THREADS = 2;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Tributary client;
  private final String domain;
  private final int maxBytes;
  private final ExporterMetrics metrics;

  private AlertWebhook(HttpServer server, ExecutorService executor, Tributary client, String domain, int maxBytes,
      ExporterMetrics metrics) {
    this.server = server;
    this.executor = executor;
    this.client = client;
    this.domain = domain;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  /** Binds and starts serving. */
  static AlertWebhook start(String host, int port, Tributary client, String domain, int maxBytes,
      ExporterMetrics metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the webhook to " + host + ":" + port + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "tributary-webhook-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    AlertWebhook webhook = new AlertWebhook(server, executor, client, domain, maxBytes, metrics);
    server.setExecutor(executor);
    server.createContext("/", webhook::handle);
    server.start();
    return webhook;
  }

  /** The webhook's URL, e.g. {@code http://127.0.0.1:9405/alerts}. */
  String url() {
    InetSocketAddress a = server.getAddress();
    return "http://" + a.getHostString() + ":" + a.getPort() + PATH;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(PATH)) {
        send(ex, 404, "the webhook is POST " + PATH + "\n");
        return;
      }
      if (!ex.getRequestMethod().equals("POST")) {
        metrics.webhook(WebhookOutcome.METHOD_NOT_ALLOWED);
        ex.getResponseHeaders().set("Allow", "POST");
        send(ex, 405, "only POST\n");
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(maxBytes + 1);
      }
      if (body.length > maxBytes) {
        metrics.webhook(WebhookOutcome.TOO_LARGE);
        send(ex, 413, "body larger than " + maxBytes + " bytes\n");
        return;
      }
      List<Alert> alerts;
      try {
        alerts = AlertmanagerPayload.parse(body);
      } catch (IllegalArgumentException e) {
        metrics.webhook(WebhookOutcome.BAD_REQUEST);
        LOG.warn("webhook payload refused: {}", e.getMessage());
        send(ex, 400, "bad Alertmanager payload: " + e.getMessage() + "\n");
        return;
      }
      int refused = 0;
      for (Alert alert : alerts) {
        if (client.sendEvent(domain, alert.eventName(), alert.fingerprint(), alert.attributes())) {
          metrics.alertPublished(alert.status());
        } else {
          refused++;
          metrics.alertDropped();
        }
      }
      if (refused > 0) {
        metrics.webhook(WebhookOutcome.UNAVAILABLE);
        LOG.warn("{} of {} alerts refused by the Tributary client (buffer or spool full)", refused, alerts.size());
        send(ex, 503, refused + " of " + alerts.size() + " alerts could not be queued; retry\n");
        return;
      }
      metrics.webhook(WebhookOutcome.ACCEPTED);
      send(ex, 200, "queued " + alerts.size() + " alerts\n");
    } catch (IOException | RuntimeException e) {
      LOG.debug("webhook request aborted: {}", e.toString());
    }
  }

  private static void send(HttpExchange ex, int code, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** Stops serving at once (Alertmanager retries). Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
