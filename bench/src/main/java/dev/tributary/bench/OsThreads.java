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

  /** CPU milliseconds between two snapshots by thread name, numbers at the end folded into # ("GC Thread#"). */
  public static Map<String, Long> millisByName(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> byName = new java.util.TreeMap<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      String name = e.getKey().substring(e.getKey().indexOf(' ') + 1).replaceAll("[0-9]+$", "#");
      byName.merge(name, (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 10, Long::sum);
    }
    return byName;
  }

  /** HotSpot's JIT compiler threads ("C1 CompilerThre#", "C2 CompilerThre#"; the kernel keeps 15 characters). */
  public static boolean isJit(String name) {
    return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
  }

  /** HotSpot's GC threads (G1's workers, refinement, marking and service threads) and the VM thread, which runs the collections' safepoints. */
  public static boolean isGc(String name) {
    return name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread");
  }

  /** Prints CPU ms per thread name (numbers at the end folded into #) between two snapshots. */
  public static void print(Map<String, Long> before, Map<String, Long> after, long processNanos) {
    StringBuilder line = new StringBuilder("  thread CPU ms (process " + processNanos / 1_000_000 + "):");
    millisByName(before, after).entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(" [").append(e.getKey()).append("] ").append(e.getValue()));
    System.out.println(line);
  }
}
