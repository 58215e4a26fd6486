package dev.tributary.wire;

import java.util.Map;
import java.util.Objects;

/**
 * A heartbeat of one instance, published to {@code health.events} keyed by {@code service/instance}.
 *
 * @param timestamp {@code @timestamp}, epoch milliseconds
 * @param source sender
 * @param stream sequence scope (normally {@code health})
 * @param seq per-run, per-stream sequence number
 * @param status {@code health.status}
 * @param startedAt {@code health.started}: when the run started, epoch milliseconds
 * @param uptimeMillis {@code health.uptime_ms}
 * @param intervalMillis {@code health.interval_ms}: when the next heartbeat is due; 0 on the final DOWN
 * @param checks {@code health.checks}: named check results, in the order registered; never {@code null}
 */
public record HealthEnvelope(
    long timestamp,
    Source source,
    String stream,
    long seq,
    Status status,
    long startedAt,
    long uptimeMillis,
    long intervalMillis,
    Map<String, Check> checks)
    implements Envelope {

  public HealthEnvelope {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(status, "status");
    checks = checks == null ? Map.of() : checks;
  }

  @Override
  public EnvelopeType type() {
    return EnvelopeType.HEALTH;
  }

  /** An instance's or a check's state. */
  public enum Status {
    /** Working normally. */
    UP,
    /** Working with reduced function (a non-critical check failed). */
    DEGRADED,
    /** Not working, or stopped: after a final DOWN the instance's series can be removed. */
    DOWN
  }

  /**
   * One named check's result.
   *
   * @param status the check's state
   * @param detail a short human-readable detail, or {@code null}
   */
  public record Check(Status status, String detail) {
    public Check {
      Objects.requireNonNull(status, "status");
    }
  }
}
