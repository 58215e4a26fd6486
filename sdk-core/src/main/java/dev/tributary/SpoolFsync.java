package dev.tributary;

/**
 * When the event spool forces its appends to the storage device ({@code events.spool.fsync}).
 * Whatever the policy, an append is in the operating system's page cache before the event is
 * sent, so a crash of the JVM alone (even {@code kill -9}) loses nothing; the policy decides what a
 * crash of the machine or a power loss can lose.
 */
public enum SpoolFsync {
  /** Force every batch of appends before counting it as spooled: nothing acknowledged is lost on power loss. */
  ALWAYS,
  /** Force at most every {@code events.spool.fsync.interval} (100 ms): a power loss can lose that much. */
  INTERVAL,
  /** Never force; the operating system writes back when it likes. */
  NEVER
}
