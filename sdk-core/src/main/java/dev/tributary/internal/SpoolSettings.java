package dev.tributary.internal;

import dev.tributary.SpoolFsync;
import dev.tributary.SpoolOverflow;
import dev.tributary.StreamKind;
import java.nio.file.Path;

/**
 * One stream's spool: the event spool ({@code events.spool.*}) or the logs spill spool
 * ({@code logs.spool.*}). Both use the same files, format and recovery ({@code internal.spool}).
 *
 * @param stream the stream whose records the spool holds
 * @param dir the directory (one per client and stream; it is locked)
 * @param fsync when appends are forced to the device
 * @param fsyncIntervalNanos the interval of {@link SpoolFsync#INTERVAL}, also the checkpoint interval
 * @param maxBytes the bound on the spool's files
 * @param overflow what a full spool does
 * @param onDemand {@code false}: every record goes through the spool (events); {@code true}: records
 *     go through it only while the stream cannot deliver from memory (logs' {@code spill})
 */
record SpoolSettings(StreamKind stream, Path dir, SpoolFsync fsync, long fsyncIntervalNanos, long maxBytes,
    SpoolOverflow overflow, boolean onDemand) {

  /** The configuration key of one of this spool's settings, e.g. {@code logs.spool.max.bytes}. */
  String key(String setting) {
    return stream.label() + ".spool." + setting;
  }

  /** Segment files are at most 16 MiB and at most an eighth of the bound, so drop-oldest frees little at a time. */
  long segmentBytes() {
    return Math.min(DeliverySettings.MAX_SEGMENT_BYTES, Math.max(8 * 1024, maxBytes / 8));
  }

  /** How the records are named in the SDK's log: {@code event} or {@code log}. */
  String noun() {
    return stream == StreamKind.EVENTS ? "event" : "log";
  }

  /** {@code events} or {@code log records}. */
  String plural() {
    return stream == StreamKind.EVENTS ? "events" : "log records";
  }
}
