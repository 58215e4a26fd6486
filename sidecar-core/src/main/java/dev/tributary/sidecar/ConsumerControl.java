package dev.tributary.sidecar;

import java.util.Collection;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link RecordHandler} may ask of the consumer, from the consume thread only.
 */
public interface ConsumerControl {
  /**
   * Stops fetching from these partitions (back-pressure) while the loop keeps polling, so the group
   * membership stays alive. A revoked partition's pause ends with its revocation.
   */
  void pause(Collection<TopicPartition> partitions);

  /** Fetches from these partitions again. */
  void resume(Collection<TopicPartition> partitions);

  /** The partitions paused now. */
  Set<TopicPartition> paused();

  /**
   * Positions partitions at their first record with a timestamp at or after {@code timestampMillis},
   * or at their end if there is none; for sidecars that rebuild state from recent history.
   */
  void rewindTo(Collection<TopicPartition> partitions, long timestampMillis);

  /** The partitions assigned now. */
  Set<TopicPartition> assignment();
}
