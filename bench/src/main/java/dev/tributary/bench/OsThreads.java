package dev.tributary.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * With {@code -Dbench.threadCpu=true}: every thread of this process (GC and JIT threads included)
 * from {@code /proc/self/task}, CPU per run grouped by thread name, to see where a run's process CPU
 * went. Linux only.
 */
public final class OsThreads {
  private OsThreads() {}

  /** Whether {@code -Dbench.threadCpu=true} was given. */
  public static boolean enabled() {
    return Boolean.getBoolean("bench.threadCpu");
  }

  /** CPU ticks by "tid name". */
  public static Map<String, Long> snapshot() {
    Map<String, Long> ticks = new HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return ticks;
    }
    for (java.io.File task : tasks) {
      try {
        String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
        int close = stat.lastIndexOf(')');
        String name = stat.substring(stat.indexOf('(') + 1, close);
        String[] f = stat.substring(close + 2).split(" ");
        ticks.put(task.getName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
      } catch (java.io.IOException | RuntimeException e) {
        // The thread ended meanwhile.
      }
    }
    return ticks;
  }

  /** Prints CPU ms per thread name (numbers at the end folded into #) between two snapshots. */
  public static void print(Map<String, Long> before, Map<String, Long> after, long processNanos) {
    Map<String, Long> byName = new java.util.TreeMap<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      String name = e.getKey().substring(e.getKey().indexOf(' ') + 1).replaceAll("[0-9]+$", "#");
      byName.merge(name, e.getValue() - before.getOrDefault(e.getKey(), 0L), Long::sum);
    }
    StringBuilder line = new StringBuilder("  thread CPU ms (process " + processNanos / 1_000_000 + "):");
    byName.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(" [").append(e.getKey()).append("] ").append(e.getValue() * 10));
    System.out.println(line);
  }
}
