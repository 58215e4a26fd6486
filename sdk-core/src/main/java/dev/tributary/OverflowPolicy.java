package dev.tributary;

/** What a stream does when its buffer is full. Every drop is counted in {@link TributaryStats}. */
public enum OverflowPolicy {
  /** Refuse the new record; the {@code send*} call returns {@code false}. Cheapest; keeps history. */
  DROP_NEWEST,
  /** Evict the oldest buffered record to make room; keeps the most recent records. */
  DROP_OLDEST
}
