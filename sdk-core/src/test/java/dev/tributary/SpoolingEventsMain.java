package dev.tributary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The JVM that {@link SpoolCrashTest} kills: sends events to a broker that is down, through a spool
 * with {@code fsync=always}, and keeps printing {@code SPOOLED <n>} (events acknowledged to the spool)
 * while it goes on sending, until it is killed. Events are sent in seq order from one thread and
 * never refused, so {@code SPOOLED n} means events 1..n are in the spool.
 *
 * <p>Arguments: bootstrap servers, spool directory.
 */
public final class SpoolingEventsMain {
  private SpoolingEventsMain() {}

  public static void main(String[] args) {
    Tributary client = Tributary.builder()
        .bootstrapServers(args[0])
        .serviceName("crasher")
        .instanceId("crasher-1")
        .eventsSpoolDir(Path.of(args[1]))
        .eventsSpoolFsync(SpoolFsync.ALWAYS)
        .metricsStep(Duration.ofHours(1))
        .healthInterval(Duration.ofHours(1))
        .build();
    int sent = 0;
    long lastReport = 0;
    while (true) {
      long spooled = client.stats().spool().spooled();
      // Keep the in-memory buffer far from full, so that every event is accepted and seq 1..n are contiguous.
      if (sent - spooled < 2_000) {
        for (int i = 0; i < 200; i++) {
          if (!client.sendEvent("crash", "thing.happened", "entity-" + (sent % 10), Map.of("n", sent + 1))) {
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
