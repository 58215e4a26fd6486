package dev.tributary.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aggregate warning per stream and interval while records are being dropped ("dropped N since
 * the last report"), and one line when the drops stop, instead of a line per record.
 */
final class DropReporter {
  private static final Logger LOG = LoggerFactory.getLogger(DropReporter.class);

  private final Channel[] channels;
  private final long[] lastDropped;
  private final boolean[] dropping;

  DropReporter(Channel[] channels) {
    this.channels = channels;
    this.lastDropped = new long[channels.length];
    this.dropping = new boolean[channels.length];
  }

  /** Runs on the scheduler thread only. */
  void report() {
    for (int i = 0; i < channels.length; i++) {
      Channel c = channels[i];
      long dropped = c.refused.sum() + c.evicted.sum();
      long delta = dropped - lastDropped[i];
      lastDropped[i] = dropped;
      if (delta > 0) {
        dropping[i] = true;
        LOG.warn("Tributary dropped {} {} record(s) since the last report: buffer of {} full ({} queued); Kafka slow or unreachable?",
            delta, c.kind.label(), c.capacity, c.queued());
      } else if (dropping[i]) {
        dropping[i] = false;
        LOG.info("Tributary {} stream recovered: no records dropped since the last report", c.kind.label());
      }
    }
  }
}
