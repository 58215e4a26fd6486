package dev.tributary.bench.logback;

import dev.tributary.bench.JitWarmUp;
import dev.tributary.bench.OsThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time by thread group between two snapshots: the logging (calling) thread, Tributary's I/O
 * thread, Kafka's producer network threads, other Java threads, the GC threads (with the VM thread),
 * the JIT compiler threads (those two from {@code /proc/self/task}, 10 ms ticks), and the rest of the
 * process (threads that ended in between, other JVM threads), which is the process total minus all
 * of these. {@link #JIT_MILLIS} is the JIT's own count of the milliseconds it spent compiling.
 */
final class ThreadCpu {
  static final String CALLER = "caller";
  static final String IO = "tributary-io";
  static final String NETWORK = "kafka-network";
  static final String OTHER = "other Java";
  static final String GC = "GC";
  static final String JIT = "JIT";
  static final String REST = "ended, other JVM";
  /** Not CPU: compilation milliseconds (CompilationMXBean), in nanoseconds like the groups. */
  static final String JIT_MILLIS = "JIT compiling";
  static final String[] GROUPS = {CALLER, IO, NETWORK, OTHER, GC, JIT, REST};

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long callerId = Thread.currentThread().getId();
  private final long process0 = processCpuNanos();
  private final long jit0 = JitWarmUp.compileMillis();
  private final Map<Long, Long> before = perThread();
  private final Map<String, Long> osBefore = OsThreads.snapshot();

  /** CPU nanoseconds by group since construction. */
  Map<String, Long> since() {
    long process = processCpuNanos() - process0;
    Map<String, Long> groups = new LinkedHashMap<>();
    for (String g : GROUPS) {
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
    for (Map.Entry<String, Long> e : OsThreads.millisByName(osBefore, OsThreads.snapshot()).entrySet()) {
      String g = OsThreads.isJit(e.getKey()) ? JIT : OsThreads.isGc(e.getKey()) ? GC : null;
      if (g != null) {
        long nanos = e.getValue() * 1_000_000;
        seen += nanos;
        groups.merge(g, nanos, Long::sum);
      }
    }
    groups.put(REST, Math.max(0, process - seen));
    groups.put(JIT_MILLIS, (JitWarmUp.compileMillis() - jit0) * 1_000_000);
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
