package dev.tributary.internal;

import dev.tributary.SpoolFsync;
import dev.tributary.SpoolOverflow;
import dev.tributary.StreamKind;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated settings of issue 3's delivery machinery: the event spool, the circuit breakers and
 * the rate limits. Every check names the setting.
 *
 * @param eventsSpoolDir the event spool directory, or {@code null}: no spool (events in memory only)
 * @param eventsSpoolFsync when appends are forced to the device
 * @param eventsSpoolFsyncInterval the interval of {@link SpoolFsync#INTERVAL}, also the checkpoint interval
 * @param eventsSpoolMaxBytes the bound on the spool's files
 * @param eventsSpoolOverflow what a full spool does
 * @param circuitFailureThreshold consecutive failures that open a producer's circuit
 * @param circuitOpenDuration how long an open circuit stays open before a probe
 * @param logsRateLimit log records per second, 0 for no limit
 * @param logsRateBurst log records allowed at once
 * @param eventsRateLimit events per second, 0 for no limit
 * @param eventsRateBurst events allowed at once
 * @param logsSpoolDir the logs spill spool directory ({@code logs.overflow=spill}), or {@code null}
 * @param logsSpoolMaxBytes the bound on the logs spool's files
 * @param logsSpoolOverflow what a full logs spool does
 */
public record DeliverySettings(
    Path eventsSpoolDir,
    SpoolFsync eventsSpoolFsync,
    Duration eventsSpoolFsyncInterval,
    long eventsSpoolMaxBytes,
    SpoolOverflow eventsSpoolOverflow,
    int circuitFailureThreshold,
    Duration circuitOpenDuration,
    long logsRateLimit,
    long logsRateBurst,
    long eventsRateLimit,
    long eventsRateBurst,
    Path logsSpoolDir,
    long logsSpoolMaxBytes,
    SpoolOverflow logsSpoolOverflow) {

  /** The largest spool segment file: 16 MiB. */
  static final long MAX_SEGMENT_BYTES = 16L * 1024 * 1024;
  /** The smallest allowed {@code events.spool.max.bytes} and {@code logs.spool.max.bytes}: 64 KiB. */
  public static final long MIN_SPOOL_BYTES = 64 * 1024;

  public DeliverySettings {
    if (eventsSpoolFsync == null) {
      throw new IllegalArgumentException("eventsSpoolFsync must not be null");
    }
    if (eventsSpoolOverflow == null) {
      throw new IllegalArgumentException("eventsSpoolOverflow must not be null");
    }
    if (eventsSpoolFsyncInterval == null || eventsSpoolFsyncInterval.isNegative() || eventsSpoolFsyncInterval.isZero()) {
      throw new IllegalArgumentException("eventsSpoolFsyncInterval must be positive, was " + eventsSpoolFsyncInterval);
    }
    if (eventsSpoolMaxBytes < MIN_SPOOL_BYTES) {
      throw new IllegalArgumentException("eventsSpoolMaxBytes must be at least " + MIN_SPOOL_BYTES + ", was "
          + eventsSpoolMaxBytes);
    }
    if (logsSpoolOverflow == null) {
      throw new IllegalArgumentException("logsSpoolOverflow must not be null");
    }
    if (logsSpoolMaxBytes < MIN_SPOOL_BYTES) {
      throw new IllegalArgumentException("logsSpoolMaxBytes must be at least " + MIN_SPOOL_BYTES + ", was "
          + logsSpoolMaxBytes);
    }
    if (logsSpoolDir != null && eventsSpoolDir != null
        && logsSpoolDir.toAbsolutePath().normalize().equals(eventsSpoolDir.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("logsSpoolDir must not be eventsSpoolDir (" + eventsSpoolDir
          + "): each spool needs a directory of its own");
    }
    if (circuitFailureThreshold <= 0) {
      throw new IllegalArgumentException("circuitFailureThreshold must be positive, was " + circuitFailureThreshold);
    }
    if (circuitOpenDuration == null || circuitOpenDuration.isNegative() || circuitOpenDuration.isZero()) {
      throw new IllegalArgumentException("circuitOpenDuration must be positive, was " + circuitOpenDuration);
    }
    requireRate(logsRateLimit, logsRateBurst, "logsRateLimit", "logsRateBurst");
    requireRate(eventsRateLimit, eventsRateBurst, "eventsRateLimit", "eventsRateBurst");
  }

  private static void requireRate(long limit, long burst, String limitField, String burstField) {
    if (limit < 0 || limit > 1_000_000_000L) {
      throw new IllegalArgumentException(limitField + " must be between 0 (no limit) and 1000000000 records/s, was " + limit);
    }
    if (limit > 0 && burst <= 0) {
      throw new IllegalArgumentException(burstField + " must be positive, was " + burst);
    }
  }

  /** The event spool, or {@code null} without {@code events.spool.dir}. */
  SpoolSettings eventsSpool() {
    return eventsSpoolDir == null ? null : new SpoolSettings(StreamKind.EVENTS, eventsSpoolDir, eventsSpoolFsync,
        eventsSpoolFsyncInterval.toNanos(), eventsSpoolMaxBytes, eventsSpoolOverflow, false);
  }

  /**
   * The logs spill spool, or {@code null} without {@code logs.spool.dir}. Logs favour throughput: it
   * forces at most every {@code events.spool.fsync.interval} (a JVM crash loses nothing spilled, a
   * power loss at most that interval).
   */
  SpoolSettings logsSpool() {
    return logsSpoolDir == null ? null : new SpoolSettings(StreamKind.LOGS, logsSpoolDir, SpoolFsync.INTERVAL,
        eventsSpoolFsyncInterval.toNanos(), logsSpoolMaxBytes, logsSpoolOverflow, true);
  }
}
