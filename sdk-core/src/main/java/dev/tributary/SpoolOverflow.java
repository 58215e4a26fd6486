package dev.tributary;

/**
 * What the event spool does when it holds {@code events.spool.max.bytes} ({@code events.spool.overflow}).
 * Every record it gives up is counted ({@link TributaryStats.SpoolStats#dropped()} and the events
 * stream's {@code dropped}).
 */
public enum SpoolOverflow {
  /** Delete the oldest segment file, counting its undelivered records as dropped; keeps the newest events. */
  DROP_OLDEST,
  /** Do not spool the new event; it is counted as dropped. Keeps the oldest events. */
  DROP_NEWEST,
  /**
   * Stop taking events from the in-memory buffer until the spool has room again, so that the buffer
   * fills and {@link Tributary#sendEvent} returns {@code false}: the caller is told, and decides.
   */
  REJECT
}
