package dev.tributary.bench.logback;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What may have stopped the calling thread during a timed loop, besides the code under test: GC
 * collections (count, accumulated time) and the thread's context switches, voluntary (it parked or
 * waited on a lock) and involuntary (the OS preempted it), from {@code /proc/thread-self/status}.
 */
final class Pauses {
  private static final Path STATUS = Path.of("/proc/thread-self/status");
  private final long gcCount;
  private final long gcMillis;
  private final long voluntary;
  private final long involuntary;

  private Pauses(long gcCount, long gcMillis, long voluntary, long involuntary) {
    this.gcCount = gcCount;
    this.gcMillis = gcMillis;
    this.voluntary = voluntary;
    this.involuntary = involuntary;
  }

  /** Takes the counts now, on the thread whose loop is timed. */
  static Pauses start() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new Pauses(count, millis, switches("voluntary_ctxt_switches"), switches("nonvoluntary_ctxt_switches"));
  }

  /** What happened since {@link #start()}, on the same thread, as a table cell. */
  String stop() {
    Pauses now = start();
    return String.format("%d GC (%d ms), %d voluntary + %d involuntary context switches", now.gcCount - gcCount,
        now.gcMillis - gcMillis, now.voluntary - voluntary, now.involuntary - involuntary);
  }

  private static long switches(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name + ":")) {
          return Long.parseLong(line.substring(name.length() + 1).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: no figure.
    }
    return -1;
  }
}
