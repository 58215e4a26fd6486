package dev.tributary.internal;

import dev.tributary.HealthCheck;
import dev.tributary.Registration;
import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.HealthEnvelope.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registered health checks, in registration order, evaluated into a heartbeat on the scheduler thread. */
final class HealthReporter {
  private static final Logger LOG = LoggerFactory.getLogger(HealthReporter.class);

  private final CopyOnWriteArrayList<NamedCheck> checks = new CopyOnWriteArrayList<>();

  /** Adds a check; a duplicate or empty name is refused (logged) and gets a no-op registration. */
  synchronized Registration register(String name, HealthCheck check) {
    if (name == null || name.isBlank() || check == null) {
      LOG.warn("Tributary: a health check needs a name and a check; ignoring ({})", name);
      return () -> {};
    }
    for (NamedCheck c : checks) {
      if (c.name().equals(name)) {
        LOG.warn("Tributary: a health check named '{}' is already registered; ignoring the second one", name);
        return () -> {};
      }
    }
    NamedCheck entry = new NamedCheck(name, check);
    checks.add(entry);
    return () -> checks.remove(entry);
  }

  /** Evaluates every check; the overall status is the worst of them (UP when there are none). */
  Evaluation evaluate() {
    Map<String, HealthEnvelope.Check> results = new LinkedHashMap<>();
    Status overall = Status.UP;
    for (NamedCheck c : checks) {
      HealthEnvelope.Check result;
      try {
        HealthCheck.Result r = c.check().check();
        result = r == null
            ? new HealthEnvelope.Check(Status.DOWN, "check returned null")
            : new HealthEnvelope.Check(r.status(), r.detail());
      } catch (RuntimeException | LinkageError e) {
        result = new HealthEnvelope.Check(Status.DOWN, "check failed: " + e);
      }
      results.put(c.name(), result);
      if (result.status().ordinal() > overall.ordinal()) {
        overall = result.status();
      }
    }
    return new Evaluation(overall, results);
  }

  private record NamedCheck(String name, HealthCheck check) {}

  /** A heartbeat's status and check results. */
  record Evaluation(Status status, Map<String, HealthEnvelope.Check> checks) {}
}
