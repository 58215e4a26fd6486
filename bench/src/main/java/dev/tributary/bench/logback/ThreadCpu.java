package dev.tributary.bench.logback;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time by thread group between two snapshots: the logging (calling) thread, Tributary's I/O
 * thread, Kafka's producer network threads, other Java threads, and the rest of the process (GC,
 * JIT, threads that ended in between), which is the process total minus the Java threads seen.
 */
final class ThreadCpu {
  static final String CALLER = "caller";
  static final String IO = "tributary-io";
  static final String NETWORK = "kafka-network";
  static final String OTHER = "other Java";
  static final String JVM = "GC, JIT, ended";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long callerId = Thread.currentThread().getId();
  private final long process0 = processCpuNanos();
  private final Map<Long, Long> before = perThread();

  /** CPU nanoseconds by group since construction. */
  Map<String, Long> since() {
    long process = processCpuNanos() - process0;
    Map<String, Long> groups = new LinkedHashMap<>();
    for (String g : new String[] {CALLER, IO, NETWORK, OTHER, JVM}) {
      groups.put(g, 0L);
    }
    long seen = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long delta = cpu - before.getOrDefault(info.getThreadId(), 0L);
      seen += delta;
      groups.merge(group(info), delta, Long::sum);
    }
    groups.put(JVM, Math.max(0, process - seen));
    return groups;
  }

  private String group(ThreadInfo info) {
    String name = info.getThreadName();
    if (info.getThreadId() == callerId) {
      return CALLER;
    } else if (name.startsWith("tributary-io")) {
      return IO;
    } else if (name.startsWith("kafka-producer-network-thread")) {
      return NETWORK;
    }
    return OTHER;
  }

  private static Map<Long, Long> perThread() {
    Map<Long, Long> m = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        m.put(id, cpu);
      }
    }
    return m;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
