package dev.tributary.exporter.kafka;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** The exporter's own metrics (the {@code tributary_kafka_exporter_*} family), thread-safe. */
final class ExporterMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter cycles;
  private final Counter adminErrors;
  private final Gauge lastCycleDuration;
  private final Gauge lastSuccess;
  private final Gauge reachable;
  private final Counter groupsDescribed;
  private final Counter webhookRequests;
  private final Counter alertsPublished;
  private final Counter alertsDropped;

  ExporterMetrics() {
    cycles = Counter.builder().name("tributary_kafka_exporter_cycles")
        .help("Collection cycles, by outcome (success: the cluster answered; failure: it did not)")
        .labelNames("outcome").register(registry);
    adminErrors = Counter.builder().name("tributary_kafka_exporter_admin_errors")
        .help("Admin calls that failed or timed out, by call").labelNames("call").register(registry);
    lastCycleDuration = Gauge.builder().name("tributary_kafka_exporter_last_cycle_duration_seconds").unit(Unit.SECONDS)
        .help("Duration of the last collection cycle").register(registry);
    lastSuccess = Gauge.builder().name("tributary_kafka_exporter_last_success_timestamp_seconds").unit(Unit.SECONDS)
        .help("When the last successful cycle ended (Unix time)").register(registry);
    reachable = Gauge.builder().name("tributary_kafka_exporter_cluster_reachable")
        .help("1 if the last cycle reached the cluster, else 0").register(registry);
    groupsDescribed = Counter.builder().name("tributary_kafka_exporter_groups_described")
        .help("Consumer groups described (with their offsets) by collection cycles").register(registry);
    webhookRequests = Counter.builder().name("tributary_kafka_exporter_webhook_requests")
        .help("Alertmanager webhook requests, by outcome").labelNames("outcome").register(registry);
    alertsPublished = Counter.builder().name("tributary_kafka_exporter_alerts_published")
        .help("Alerts accepted by the Tributary client for the alerts topic, by status").labelNames("status")
        .register(registry);
    alertsDropped = Counter.builder().name("tributary_kafka_exporter_alerts_dropped")
        .help("Alerts the Tributary client refused (buffer or spool full, closed)").register(registry);
    reachable.set(0);
    for (String outcome : new String[] {"success", "failure"}) {
      cycles.labelValues(outcome);
    }
    for (String outcome : WebhookOutcome.LABELS) {
      webhookRequests.labelValues(outcome);
    }
    alertsPublished.labelValues("firing");
    alertsPublished.labelValues("resolved");
  }

  PrometheusRegistry registry() {
    return registry;
  }

  void cycle(boolean success, double seconds, double endEpochSeconds) {
    cycles.labelValues(success ? "success" : "failure").inc();
    lastCycleDuration.set(seconds);
    reachable.set(success ? 1 : 0);
    if (success) {
      lastSuccess.set(endEpochSeconds);
    }
  }

  void adminError(String call) {
    adminErrors.labelValues(call).inc();
  }

  void groupsDescribed(int n) {
    groupsDescribed.inc(n);
  }

  void webhook(String outcome) {
    webhookRequests.labelValues(outcome).inc();
  }

  void alertPublished(String status) {
    alertsPublished.labelValues(status).inc();
  }

  void alertDropped() {
    alertsDropped.inc();
  }

  /** The webhook outcomes, as label values. */
  static final class WebhookOutcome {
    static final String ACCEPTED = "accepted";
    static final String BAD_REQUEST = "bad_request";
    static final String TOO_LARGE = "too_large";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String UNAVAILABLE = "unavailable";
    static final String[] LABELS = {ACCEPTED, BAD_REQUEST, TOO_LARGE, METHOD_NOT_ALLOWED, UNAVAILABLE};

    private WebhookOutcome() {}
  }
}
