package dev.tributary.sidecar.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Readiness: "caught up to the end offsets seen at start". The end offsets of the first assignment
 * are the targets; once the position of every target still assigned has reached its target, the
 * member is ready, and stays ready (a later rebalance does not make it unready: it serves what it
 * has while catching up on new partitions, like any Prometheus target).
 *
 * <p>Used on the consume thread only; {@link #isReady()} is read by the HTTP threads.
 */
public final class CatchUp {
  private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);

  private boolean assigned;
  private Map<TopicPartition, Long> targets; // null until the first check after the first assignment
  private volatile boolean ready;

  /** The first assignment after start: its end offsets become the targets at the next check. */
  public void assigned() {
    assigned = true;
  }

  /** Partitions taken away before we caught up on them are no longer targets. */
  public void revoked(Collection<TopicPartition> partitions) {
    if (targets != null) {
      partitions.forEach(targets::remove);
    }
  }

  /** Checks positions after a poll. */
  public void check(Consumer<?, ?> consumer) {
    if (ready || !assigned) {
      return;
    }
    if (targets == null) {
      // May time out: then the next check tries again.
      targets = new HashMap<>(consumer.endOffsets(consumer.assignment(), END_OFFSETS_TIMEOUT));
    }
    for (Iterator<Map.Entry<TopicPartition, Long>> it = targets.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<TopicPartition, Long> e = it.next();
      if (!consumer.assignment().contains(e.getKey())
          || consumer.position(e.getKey(), END_OFFSETS_TIMEOUT) >= e.getValue()) {
        it.remove();
      }
    }
    if (targets.isEmpty()) {
      ready = true;
    }
  }

  /** Whether the member has caught up. */
  public boolean isReady() {
    return ready;
  }
}
