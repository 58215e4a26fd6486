package dev.tributary;

import dev.tributary.wire.HealthEnvelope;
import java.util.Objects;

/**
 * A named check reported with every heartbeat (see {@link Tributary#registerHealthCheck}). The
 * instance's status is the worst of its checks: any DOWN makes it DOWN, else any DEGRADED makes
 * it DEGRADED.
 */
@FunctionalInterface
public interface HealthCheck {

  /** Evaluates the check. Must be quick; a thrown exception reports DOWN with its message. */
  Result check();

  /**
   * A check's outcome.
   *
   * @param status UP, DEGRADED or DOWN
   * @param detail a short human-readable detail, or {@code null}
   */
  record Result(HealthEnvelope.Status status, String detail) {
    public Result {
      Objects.requireNonNull(status, "status");
    }

    /** Working. */
    public static Result up() {
      return new Result(HealthEnvelope.Status.UP, null);
    }

    /** Working with reduced function. */
    public static Result degraded(String detail) {
      return new Result(HealthEnvelope.Status.DEGRADED, detail);
    }

    /** Not working. */
    public static Result down(String detail) {
      return new Result(HealthEnvelope.Status.DOWN, detail);
    }
  }
}
