package dev.tributary;

/** What a stream does when its buffer is full. Every drop is counted in {@link TributaryStats}. */
public enum OverflowPolicy {
  /** Refuse the new record; the {@code send*} call returns {@code false}. Cheapest; keeps history. */
  DROP_NEWEST,
  /** Evict the oldest buffered record to make room; keeps the most recent records. */
  DROP_OLDEST,
  /**
   * Logs only ({@code logs.overflow=spill}, with {@code logs.spool.dir}): when Kafka is unreachable or
   * slower than the application, the client's I/O thread moves the buffered records to a local spool
   * (the event spool's format, in a directory of its own) and sends them from there, in order, once
   * Kafka takes them; what is still spooled at shutdown is sent by the next start. The caller never
   * touches the disk: if the buffer is full all the same (the disk slower than the caller), the new
   * record is refused and counted as with {@link #DROP_NEWEST}. Not accepted for events (spooled
   * through {@code events.spool.dir}) or metrics (latest wins: the next cumulative snapshot
   * supersedes a lost one).
   */
  SPILL
}
