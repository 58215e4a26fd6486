package dev.tributary.sidecar.prometheus;

import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.HealthEnvelope.Status;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest heartbeat of every instance, exposed as
 * <ul>
 *   <li>{@code tributary_up{service,instance}}: 1 while the instance reports UP or DEGRADED and its
 *       heartbeats arrive; 0 once it said DOWN, or after {@code missed} heartbeat intervals
 *       (the interval each heartbeat announces) without one;</li>
 *   <li>{@code tributary_heartbeat_age_seconds{service,instance}}: time since the newest heartbeat;</li>
 *   <li>{@code tributary_health_check_status{service,instance,check,status}}: 1 for the check's
 *       current status, 0 for the other two (one series per status, so alerts need no regex).</li>
 * </ul>
 * An instance is forgotten after its DOWN plus the grace period, or after the staleness timeout
 * without heartbeats. One writer (the consume thread), any number of readers.
 */
final class HealthStore {
  static final String UP = "tributary_up";
  static final String HEARTBEAT_AGE = "tributary_heartbeat_age_seconds";
  static final String CHECK_STATUS = "tributary_health_check_status";

  record Heartbeat(String service, String instance, Status status, long timestamp, long intervalMillis,
      Map<String, HealthEnvelope.Check> checks, int partition) {}

  private final ConcurrentHashMap<String, Heartbeat> instances = new ConcurrentHashMap<>();
  private final int missedHeartbeats;
  private final long stalenessMillis;
  private final long downGraceMillis;
  private final Clock clock;

  HealthStore(int missedHeartbeats, long stalenessMillis, long downGraceMillis, Clock clock) {
    this.missedHeartbeats = missedHeartbeats;
    this.stalenessMillis = stalenessMillis;
    this.downGraceMillis = downGraceMillis;
    this.clock = clock;
  }

  /**
   * Takes a heartbeat if it is the newest of its instance.
   *
   * @return {@code true} if taken, {@code false} if a redelivery (same timestamp) or stale
   * @throws SampleRejected if older than the heartbeat held
   */
  boolean update(HealthEnvelope h, int partition) throws SampleRejected {
    if (clock.millis() - h.timestamp() > stalenessMillis) {
      return false;
    }
    String key = h.source().instanceKey();
    Heartbeat held = instances.get(key);
    if (held != null && h.timestamp() <= held.timestamp) {
      if (h.timestamp() < held.timestamp) {
        throw new SampleRejected(SampleRejected.OUT_OF_ORDER, "heartbeat of " + key + " at " + h.timestamp()
            + " is older than the one held (" + held.timestamp + ")");
      }
      return false;
    }
    instances.put(key, new Heartbeat(h.source().service(), h.source().instance(), h.status(), h.timestamp(),
        h.intervalMillis(), h.checks(), partition));
    return true;
  }

  /** Forgets instances that said DOWN longer than the grace ago or went silent for the staleness timeout. */
  int expire() {
    long now = clock.millis();
    int before = instances.size();
    instances.values().removeIf(hb -> (hb.status == Status.DOWN && now - hb.timestamp >= downGraceMillis)
        || now - hb.timestamp > stalenessMillis);
    return before - instances.size();
  }

  /** Forgets the instances of revoked partitions. */
  void dropPartitions(Set<Integer> partitions) {
    instances.values().removeIf(hb -> partitions.contains(hb.partition));
  }

  int size() {
    return instances.size();
  }

  boolean isUp(Heartbeat hb, long now) {
    if (hb.status == Status.DOWN) {
      return false;
    }
    long interval = hb.intervalMillis > 0 ? hb.intervalMillis : stalenessMillis;
    return now - hb.timestamp <= missedHeartbeats * interval;
  }

  List<MetricSnapshot> snapshots() {
    if (instances.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    GaugeSnapshot.Builder up = GaugeSnapshot.builder().name(UP)
        .help("1 if the instance's heartbeats say it is up, 0 if it said DOWN or missed its heartbeats");
    GaugeSnapshot.Builder age = GaugeSnapshot.builder().name(HEARTBEAT_AGE).unit(Unit.SECONDS)
        .help("Seconds since the instance's newest heartbeat");
    GaugeSnapshot.Builder checks = GaugeSnapshot.builder().name(CHECK_STATUS)
        .help("1 for the current status of each health check, 0 for the others");
    boolean anyCheck = false;
    for (Heartbeat hb : instances.values()) {
      Labels labels = Labels.of("service", hb.service, "instance", hb.instance);
      up.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(isUp(hb, now) ? 1 : 0).build());
      age.dataPoint(GaugeDataPointSnapshot.builder().labels(labels)
          .value(Math.max(0, now - hb.timestamp) / 1000.0).build());
      for (Map.Entry<String, HealthEnvelope.Check> c : hb.checks.entrySet()) {
        for (Status s : Status.values()) {
          anyCheck = true;
          checks.dataPoint(GaugeDataPointSnapshot.builder()
              .labels(labels.add("check", c.getKey()).add("status", s.name()))
              .value(c.getValue().status() == s ? 1 : 0).build());
        }
      }
    }
    return anyCheck ? List.of(up.build(), age.build(), checks.build()) : List.of(up.build(), age.build());
  }
}
