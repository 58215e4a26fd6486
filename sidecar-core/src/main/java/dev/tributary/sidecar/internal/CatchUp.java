package dev.tributary.sidecar.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Readiness: "caught up to the end offsets seen at start".
 *
 * <ul>
 *   <li>Every partition assigned before the member is ready becomes a target, with the end offset
 *       seen at the first check after its assignment (also partitions that arrive in a rebalance
 *       during the catch-up: a member that loses its first partitions before catching up is not
 *       ready until it has caught up on the ones it got instead).</li>
 *   <li>A target revoked in an orderly rebalance is no longer one. Once no target is left the member
 *       is ready, and an orderly rebalance does not change that: the member serves what it has while
 *       it catches up on new partitions, like any Prometheus target, and readiness flapping on
 *       every rebalance would stall rolling updates of the whole group.</li>
 *   <li>Partitions <em>lost</em> (the member was out of the group: session or poll timeout) make it
 *       unready again, as at start: its state for them is gone, and the next assignment's end
 *       offsets are the new targets.</li>
 *   <li>A member with nothing assigned at its first assignment (more members than partitions) is
 *       ready: there is nothing to catch up on.</li>
 * </ul>
 *
 * <p>Used on the consume thread only; {@link #isReady()} is read by the HTTP threads.
 */
public final class CatchUp {
  private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);

  private boolean assigned;
  private final Set<TopicPartition> pending = new HashSet<>(); // assigned, end offset not yet read
  private final Map<TopicPartition, Long> targets = new HashMap<>();
  private volatile boolean ready;

  /** Partitions were assigned: while not ready, they become targets at the next check. */
  public void assigned(Collection<TopicPartition> partitions) {
    assigned = true;
    if (!ready) {
      pending.addAll(partitions);
    }
  }

  /** Partitions were revoked in an orderly way: they are no longer targets. */
  public void revoked(Collection<TopicPartition> partitions) {
    partitions.forEach(targets::remove);
    pending.removeAll(partitions);
  }

  /** Partitions were lost: not ready until the next assignment is caught up. */
  public void lost(Collection<TopicPartition> partitions) {
    ready = false;
    assigned = false;
    targets.clear();
    pending.clear();
  }

  /** Checks positions after a poll. */
  public void check(Consumer<?, ?> consumer) {
    if (ready || !assigned) {
      return;
    }
    Set<TopicPartition> assignment = consumer.assignment();
    if (!pending.isEmpty()) {
      pending.retainAll(assignment);
      if (!pending.isEmpty()) {
        // May time out: then the next check tries again.
        targets.putAll(consumer.endOffsets(pending, END_OFFSETS_TIMEOUT));
        pending.clear();
      }
    }
    for (Iterator<Map.Entry<TopicPartition, Long>> it = targets.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<TopicPartition, Long> e = it.next();
      if (!assignment.contains(e.getKey()) || consumer.position(e.getKey(), END_OFFSETS_TIMEOUT) >= e.getValue()) {
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
