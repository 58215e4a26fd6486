package dev.tributary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The JVM that {@link SpoolCrashTest} kills: sends events (through a spool with {@code fsync=always})
 * or logs (with {@code logs.overflow=spill}) to a broker that is down, and keeps printing
 * {@code SPOOLED <n>} (records acknowledged to the spool) while it goes on sending, until it is
 * killed. Records are sent in seq order from one thread and never refused, so {@code SPOOLED n}
 * means records 1..n are in the spool.
 *
 * <p>Arguments: bootstrap servers, spool directory, {@code events} or {@code logs}.
 */
public final class SpoolingMain {
  private SpoolingMain() {}

  public static void main(String[] args) {
    StreamKind stream = StreamKind.valueOf(args[2].toUpperCase(java.util.Locale.ROOT));
    TributaryBuilder builder = Tributary.builder()
        .bootstrapServers(args[0])
        .serviceName("crasher")
        .instanceId("crasher-1")
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1));
    if (stream == StreamKind.EVENTS) {
      builder.eventsSpoolDir(Path.of(args[1])).eventsSpoolFsync(SpoolFsync.ALWAYS);
    } else {
      builder.logsOverflow(OverflowPolicy.SPILL).logsSpoolDir(Path.of(args[1])).logsRateLimit(0);
    }
    Tributary client = builder.build();
    int sent = 0;
    long lastReport = 0;
    while (true) {
      long spooled = client.stats().spool(stream).spooled();
      // Keep the in-memory buffer far from full, so that every record is accepted and seq 1..n are contiguous.
      if (sent - spooled < 2_000) {
        for (int i = 0; i < 200; i++) {
          boolean accepted = stream == StreamKind.EVENTS
              ? client.sendEvent("crash", "thing.happened", "entity-" + (sent % 10), Map.of("n", sent + 1))
              : client.sendLog(LogLevel.INFO, "crash " + (sent + 1));
          if (!accepted) {
            System.out.println("REFUSED " + (sent + 1));
            System.exit(3);
          }
          sent++;
        }
      }
      if (spooled != lastReport) {
        System.out.println("SPOOLED " + spooled);
        System.out.flush();
        lastReport = spooled;
      }
      LockSupport.parkNanos(2_000_000L);
    }
  }
}
