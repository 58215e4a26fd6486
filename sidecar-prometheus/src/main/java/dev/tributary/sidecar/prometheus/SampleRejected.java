package dev.tributary.sidecar.prometheus;

/**
 * A record the sidecar will not expose, with a short reason code for the dead-letter header and the
 * {@code tributary_sidecar_records_failed_total} label. Only thrown for bad records, never on the
 * normal path.
 */
final class SampleRejected extends Exception {
  private static final long serialVersionUID = 1L;

  /** Metric or label name not valid for Prometheus, or reserved. */
  static final String INVALID_NAME = "invalid_name";
  /** A value not allowed for the kind (NaN or negative counter, decreasing buckets, ...). */
  static final String INVALID_VALUE = "invalid_value";
  /** Older than the sample already held for the series. */
  static final String OUT_OF_ORDER = "out_of_order";
  /** The same metric name arrived with another kind. */
  static final String TYPE_CONFLICT = "type_conflict";
  /** An envelope type that does not belong on the topic (e.g. a log on metrics.events). */
  static final String UNEXPECTED_TYPE = "unexpected_type";

  private final String reason;

  SampleRejected(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
