package com.example.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.tributary.Correlation;
import dev.tributary.Tributary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP handlers: {@code POST /payments/batch}, {@code POST /payments/single},
 * {@code GET /health}, {@code GET /stats}. Each request runs in a correlation scope whose id is the
 * request's {@code X-Correlation-ID} (or a new one), returned in the response's header and body.
 */
final class PaymentApi {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentApi.class);
  static final String CORRELATION_HEADER = "X-Correlation-ID";
  static final int MAX_BODY_BYTES = 1 << 20;
  /** Accepted incoming correlation ids; anything else is replaced by a new id (log injection). */
  private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ObjectMapper json;
  private final PaymentValidator validator;
  private final PaymentPublisher publisher;
  private final PaymentMetrics metrics;
  private final PaymentStats stats;
  private final Tributary tributary;
  private final BooleanSupplier processorRunning;

  PaymentApi(ObjectMapper json, PaymentValidator validator, PaymentPublisher publisher, PaymentMetrics metrics,
      PaymentStats stats, Tributary tributary, BooleanSupplier processorRunning) {
    this.json = json;
    this.validator = validator;
    this.publisher = publisher;
    this.metrics = metrics;
    this.stats = stats;
    this.tributary = tributary;
    this.processorRunning = processorRunning;
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    String incoming = exchange.getRequestHeaders().getFirst(CORRELATION_HEADER);
    String correlationId = incoming != null && CORRELATION_ID.matcher(incoming).matches() ? incoming : Correlation.newId();
    try (Correlation.Scope scope = Correlation.open(correlationId)) {
      exchange.getResponseHeaders().set(CORRELATION_HEADER, correlationId);
      switch (path) {
        case "/payments/single", "/payments/batch" -> {
          String endpoint = path.endsWith("batch") ? "batch" : "single";
          if (!method.equals("POST")) {
            respond(exchange, 405, error("method_not_allowed", "use POST", List.of(), correlationId));
          } else {
            payments(exchange, endpoint, correlationId);
          }
        }
        case "/health" -> health(exchange);
        case "/stats" -> respond(exchange, 200, stats.toMap(metrics.consumerLag()));
        default -> respond(exchange, 404, error("not_found", "no such resource: " + path, List.of(), correlationId));
      }
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed: {}", method, path, e.toString(), e);
      respond(exchange, 500, error("internal_error", "internal error", List.of(), correlationId));
    } finally {
      exchange.close();
    }
  }

  private void payments(HttpExchange exchange, String endpoint, String correlationId) throws IOException {
    long receivedAt = System.currentTimeMillis();
    stats.request();
    int status = paymentsStatus(exchange, endpoint, correlationId, receivedAt);
    metrics.apiRequest(endpoint, status);
  }

  private int paymentsStatus(HttpExchange exchange, String endpoint, String correlationId, long receivedAt)
      throws IOException {
    byte[] body = readBody(exchange.getRequestBody());
    if (body == null) {
      return refuse(exchange, endpoint, correlationId, List.of(new ValidationError(-1, null, "body_too_large",
          "the body is larger than " + MAX_BODY_BYTES + " bytes")), 413);
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the body, which may hold a card number: not logged
      return refuse(exchange, endpoint, correlationId, List.of(new ValidationError(-1, null,
          PaymentValidator.MALFORMED_JSON, "the body is not valid JSON")), 400);
    }
    String batchId = endpoint.equals("batch") ? "batch-" + UUID.randomUUID() : null;
    PaymentValidator.Result result = endpoint.equals("batch")
        ? validator.batch(node, batchId, receivedAt)
        : validator.single(node, receivedAt);
    if (!result.valid()) {
      return refuse(exchange, endpoint, correlationId, result.errors(), 400);
    }
    List<PaymentRequest> payments = result.payments();
    try {
      publisher.publish(payments, correlationId);
    } catch (PaymentPublisher.PublishException e) {
      stats.unavailable();
      LOG.warn("{} request with {} payment(s) refused, Kafka unavailable: {}", endpoint, payments.size(), e.getMessage());
      exchange.getResponseHeaders().set("Retry-After", "5");
      respond(exchange, 503, error("unavailable", "payments cannot be accepted right now; retry later",
          List.of(), correlationId));
      return 503;
    }
    stats.accepted(payments.size());
    for (PaymentRequest p : payments) {
      tributary.sendEvent("payment", "payment.received", p.paymentId(), p.toMap());
    }
    Map<String, Object> response = new LinkedHashMap<>();
    if (batchId != null) {
      metrics.batchAccepted(payments.size());
      response.put("batch_id", batchId);
      LOG.info("batch {} accepted: {} payments", batchId, payments.size());
    } else {
      PaymentRequest p = payments.get(0);
      LOG.info("payment {} accepted: {} {} merchant {} card {}", p.paymentId(), p.amount().toPlainString(),
          p.currency(), p.merchantId(), p.card() == null ? "none" : p.card());
    }
    response.put("status", "accepted");
    response.put("accepted", payments.size());
    response.put("payment_ids", payments.stream().map(PaymentRequest::paymentId).toList());
    response.put("correlation_id", correlationId);
    respond(exchange, 200, response);
    return 200;
  }

  private int refuse(HttpExchange exchange, String endpoint, String correlationId, List<ValidationError> errors,
      int status) throws IOException {
    stats.invalid();
    Set<String> reasons = new LinkedHashSet<>();
    for (ValidationError e : errors) {
      reasons.add(e.reason());
    }
    for (String reason : reasons) {
      metrics.validationFailure(reason);
    }
    LOG.warn("{} request refused ({}): {}", endpoint, status, String.join(", ", reasons));
    respond(exchange, status, error("validation_failed", errors.size() + " validation error(s)", errors, correlationId));
    return status;
  }

  private void health(HttpExchange exchange) throws IOException {
    boolean up = processorRunning.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("processor", up ? "running" : "stopped");
    respond(exchange, up ? 200 : 503, body);
  }

  private static Map<String, Object> error(String error, String message, List<ValidationError> details,
      String correlationId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    m.put("message", message);
    if (!details.isEmpty()) {
      List<Map<String, Object>> list = new ArrayList<>(details.size());
      for (ValidationError d : details) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (d.index() >= 0) {
          e.put("index", d.index());
        }
        if (d.field() != null) {
          e.put("field", d.field());
        }
        e.put("reason", d.reason());
        e.put("message", d.message());
        list.add(e);
      }
      m.put("details", list);
    }
    m.put("correlation_id", correlationId);
    return m;
  }

  private void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The body, or {@code null} if it is larger than {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    return bytes.length > MAX_BODY_BYTES ? null : bytes;
  }
}
