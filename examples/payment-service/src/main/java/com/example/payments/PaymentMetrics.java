package com.example.payments;

import dev.tributary.MetricType;
import dev.tributary.Tributary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The payment service's business metrics. Micrometer meters (published through the Tributary
 * Micrometer bridge) and one counter through the SDK's {@code sendMetric}; the names the Prometheus
 * sidecar exposes are listed in {@code examples/payment-service/METRICS.md}, which the alert
 * rules and dashboards in {@code docs/operations/} rely on.
 */
final class PaymentMetrics {
  static final String API_REQUESTS = "payment.api.requests";
  static final String PROCESSED = "payments.processed";
  static final String AMOUNT = "payment.amount";
  static final String BATCH_SIZE = "payment.batch.size";
  static final String PROCESSING = "payment.processing";
  static final String END_TO_END = "payment.end.to.end";
  static final String CONSUMER_LAG = "payment.processor.consumer.lag";
  static final String REBALANCES = "payment.processor.rebalances";
  static final String VALIDATION_FAILURES = "payment_validation_failures_total";

  private final MeterRegistry registry;
  private final Tributary tributary;
  private final AtomicLong consumerLag = new AtomicLong();
  private final Counter rebalances;
  private final DistributionSummary batchSize;
  private final Timer processing;
  private final Timer endToEnd;

  PaymentMetrics(MeterRegistry registry, Tributary tributary) {
    this.registry = registry;
    this.tributary = tributary;
    Gauge.builder(CONSUMER_LAG, consumerLag, AtomicLong::get)
        .description("Records of the payment requests topic not yet consumed by this processor")
        .register(registry);
    rebalances = Counter.builder(REBALANCES)
        .description("Partition assignments the payment processor received").register(registry);
    batchSize = DistributionSummary.builder(BATCH_SIZE)
        .description("Payments per accepted batch request")
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1000.0)
        .register(registry);
    processing = Timer.builder(PROCESSING)
        .description("Time the processor takes for one payment")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    endToEnd = Timer.builder(END_TO_END)
        .description("Time from the API receiving a payment to the processor finishing it")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** An API response on {@code endpoint} (batch or single) with HTTP {@code status}. */
  void apiRequest(String endpoint, int status) {
    Counter.builder(API_REQUESTS).description("Responses of the payment API by endpoint and HTTP status")
        .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry).increment();
  }

  /** A request refused for {@code reason}: through the SDK directly, not Micrometer. */
  void validationFailure(String reason) {
    tributary.sendMetric(MetricType.COUNTER, VALIDATION_FAILURES, 1, Map.of("reason", reason));
  }

  void batchAccepted(int size) {
    batchSize.record(size);
  }

  /** A payment the processor finished with {@code status} (completed, failed, declined). */
  void processed(PaymentRequest payment, String status, long processingNanos, long endToEndMillis) {
    Counter.builder(PROCESSED).description("Payments the processor finished, by outcome and currency")
        .tag("status", status).tag("currency", payment.currency()).register(registry).increment();
    DistributionSummary.builder(AMOUNT).description("Amounts of processed payments, in their currency")
        .tag("currency", payment.currency()).register(registry).record(payment.amount().doubleValue());
    processing.record(Duration.ofNanos(processingNanos));
    endToEnd.record(Duration.ofMillis(Math.max(0, endToEndMillis)));
  }

  void consumerLag(long records) {
    consumerLag.set(records);
  }

  long consumerLag() {
    return consumerLag.get();
  }

  void rebalanced() {
    rebalances.increment();
  }
}
