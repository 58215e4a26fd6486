package dev.tributary.bench.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.danielwegener.logback.kafka.KafkaAppender;
import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.logback.TributaryAppender;
import dev.tributary.bench.JitWarmUp;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBrokerProcess;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Tributary's Logback appender side by side with logback-kafka-appender 0.2.0-RC2 and a bare
 * KafkaProducer, one broker (a child JVM, so that this process's CPU is the clients'), one run.
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -Xmx1g -Dbench.records=300000 -Dbench.rounds=3 -cp bench/target/benchmarks.jar \
 *     dev.tributary.bench.logback.AppenderBenchmark
 * </pre>
 *
 * The throughput section runs each contender once cold (reported as such), then warm-up rounds of all
 * of them until the JIT compiler has settled (a round spent under 5% of its wall time compiling; at
 * most {@code bench.warmupRounds}, 8), then the timed rounds; each run reports the milliseconds the JIT
 * spent compiling during it, and the CPU split by thread separates GC and JIT threads.
 * {@code -Dbench.sections=throughput,down,startup,latency} picks sections; with
 * {@code -Dbench.callEvents=true} and a JFR recording, every broker-down call over 20 µs is a
 * {@link LoggingCall} event. Prints markdown for docs/benchmarks.md. Absolute numbers drift;
 * compare the ratios.
 */
public final class AppenderBenchmark {
  private static final int RECORDS = Integer.getInteger("bench.records", 300_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final String PEER = "logback-kafka-appender 0.2.0-RC2";
  private static final int DOWN_CALLS = 10_000;
  /** Records the Tributary contenders may have queued before the logging loop waits; see {@link #bufferCapacity()}. */
  private static final int BACKLOG = Integer.getInteger("bench.backlog", 4096);
  private static final int BACKPRESSURE_EVERY = 1024;
  private static final int STARTUP_RECORDS = 1_000;
  private static final int PACED_RATE = 20_000;
  private static final int PACED_CALLS = 100_000;
  /** Warm-up rounds of all contenders at most, until one spent under 5% of its time compiling ({@link JitWarmUp}). */
  private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 8);
  /**
   * {@code -Dbench.jfr=<file>}: a JFR recording of the timed throughput rounds only (not the cold run nor the warm-up;
   * JFR itself starts before the cold run, see {@link #throughput});
   * run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} for exact lines.
   */
  private static final String JFR_FILE = System.getProperty("bench.jfr");
  private static final Duration DELIVERY_LIMIT = Duration.ofMinutes(3);
  /** {@code -Dbench.callEvents=true}: each broker-down call over 20 µs is a JFR event, to line up with GC and safepoints. */
  private static final boolean CALL_EVENTS = Boolean.getBoolean("bench.callEvents");

  private final String bootstrap;
  private final Delivered delivered;
  private int topics;

  private AppenderBenchmark(String bootstrap, Delivered delivered) {
    this.bootstrap = bootstrap;
    this.delivered = delivered;
  }

  public static void main(String[] args) throws Exception {
    // Kafka's and the SDK's own chatter (a consumer polling end offsets, producers of unreachable brokers) off the report.
    LoggerContext own = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    own.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.ERROR);
    own.getLogger("dev.tributary").setLevel(ch.qos.logback.classic.Level.ERROR);
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().args("--partitions", "3").classpath(classpath()).start();
        Delivered delivered = new Delivered(broker.bootstrapServers())) {
      AppenderBenchmark bench = new AppenderBenchmark(broker.bootstrapServers(), delivered);
      System.out.println("## Logback appender (" + RECORDS + " records x " + ROUNDS + " rounds, Tributary backlog "
          + (BACKLOG > 0 ? "<= " + BACKLOG : "unbounded") + ", load average " + loadAverage() + ", "
          + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.version") + ")\n");
      String sections = System.getProperty("bench.sections", "throughput,down,startup,latency");
      if (sections.contains("throughput")) {
        bench.throughput();
      }
      if (sections.contains("down")) {
        bench.brokerDown();
      }
      if (sections.contains("startup")) {
        bench.startup();
      }
      if (sections.contains("latency")) {
        bench.callerLatency();
      }
      System.out.println("Load average at the end: " + loadAverage());
    }
  }

  // --- delivered records/s and CPU per record --------------------------------------------------

  private record Run(double recordsPerSecond, double cpuMicrosPerRecord, long delivered, Map<String, Long> cpuByGroup,
      double bytesPerRecord) {
    double groupMicrosPerRecord(String group) {
      return cpuByGroup.getOrDefault(group, 0L) / 1e3 / Math.max(1, delivered);
    }

    long jitMillis() {
      return cpuByGroup.getOrDefault(ThreadCpu.JIT_MILLIS, 0L) / 1_000_000;
    }
  }

  private interface Contender {
    Run run(String topic) throws Exception;
  }

  private void throughput() throws Exception {
    Map<String, Contender> contenders = new java.util.LinkedHashMap<>();
    contenders.put("bare KafkaProducer", this::bare);
    contenders.put(PEER, this::peerThroughput);
    contenders.put("Tributary appender", this::tributaryThroughput);
    contenders.put("(Tributary client sendLog, no Logback)", this::clientThroughput);
    String only = System.getProperty("bench.only"); // a substring of contender names, for profiling one of them
    if (only != null) {
      contenders.keySet().removeIf(name -> !name.contains(only) && !name.startsWith("bare"));
    }
    // Started before the cold run: JFR's first start retransforms classes, which throws compiled code
    // away ("Jvmti state change invalidated dependencies"); a recording started only after the
    // warm-up made the timed rounds recompile everything.
    jdk.jfr.Recording warmUpRecording = JFR_FILE == null ? null : startRecording("warm-up");
    // Cold: the first run of each, as a service's first minutes see it (the JIT compiles during it).
    Map<String, Run> cold = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Contender> c : contenders.entrySet()) {
      cold.put(c.getKey(), c.getValue().run(newTopic()));
      progress("cold", c.getKey(), cold.get(c.getKey()));
    }
    JitWarmUp.untilSettled(WARMUP_ROUNDS, () -> {
      for (Map.Entry<String, Contender> c : contenders.entrySet()) {
        progress("warm-up", c.getKey(), c.getValue().run(newTopic()));
      }
    }, System.out);
    jdk.jfr.Recording recording = JFR_FILE == null ? null : startRecording("timed rounds");
    if (warmUpRecording != null) {
      warmUpRecording.close();
    }
    Map<String, List<Run>> runs = new HashMap<>();
    for (int round = 1; round <= ROUNDS; round++) {
      for (Map.Entry<String, Contender> c : contenders.entrySet()) {
        Run r = c.getValue().run(newTopic());
        runs.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(r);
        progress("round " + round, c.getKey(), r);
      }
    }
    if (recording != null) {
      recording.dump(java.nio.file.Path.of(JFR_FILE));
      recording.close();
    }
    System.out.println();
    System.out.println("### Per round (cold: the first run of each; then warm-up until the JIT settled; rounds 1-" + ROUNDS
        + " timed)\n");
    System.out.println("| round | contender | records/s | × bare (same round) | client CPU µs/record | JIT compiling ms |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    for (int round = 0; round <= ROUNDS; round++) {
      int i = round - 1;
      Map<String, Run> of = new java.util.LinkedHashMap<>();
      contenders.keySet().forEach(name -> of.put(name, i < 0 ? cold.get(name) : runs.get(name).get(i)));
      double bareRate = of.get("bare KafkaProducer").recordsPerSecond;
      String label = round == 0 ? "cold" : String.valueOf(round);
      of.forEach((name, r) -> System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f | %d |%n", label, name, r.recordsPerSecond, r.recordsPerSecond / bareRate,
          r.cpuMicrosPerRecord, r.jitMillis()));
    }
    System.out.println();
    System.out.println("### Delivered records/s and client CPU per record (broker up, median of " + ROUNDS + " warm rounds)\n");
    System.out.println("| contender | records/s | × bare producer | client CPU µs/record | × peer | broker bytes/record "
        + "| delivered |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    double bare = median(runs.get("bare KafkaProducer"), Run::recordsPerSecond);
    double peerCpu = runs.containsKey(PEER) ? median(runs.get(PEER), Run::cpuMicrosPerRecord) : Double.NaN;
    for (String name : contenders.keySet()) {
      double rate = median(runs.get(name), Run::recordsPerSecond);
      double cpu = median(runs.get(name), Run::cpuMicrosPerRecord);
      long minDelivered = runs.get(name).stream().mapToLong(Run::delivered).min().orElse(0);
      System.out.printf("| %s | %,.0f | %.2f | %.2f | %.2f | %.0f | %d/%d every round |%n", name, rate, rate / bare, cpu,
          cpu / peerCpu, median(runs.get(name), Run::bytesPerRecord), minDelivered, RECORDS);
    }
    System.out.println();
    System.out.println("Client CPU µs/record by thread (medians of the warm rounds; the consumer counting end offsets is in "
        + "other Java; GC with the VM thread and JIT from /proc, 10 ms ticks):\n");
    System.out.println("| contender | caller thread | Tributary I/O thread | Kafka network threads | other Java | GC | JIT "
        + "| ended, other JVM | JIT compiling ms |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (String name : contenders.keySet()) {
      StringBuilder row = new StringBuilder("| " + name + " |");
      for (String g : ThreadCpu.GROUPS) {
        row.append(String.format(Locale.ROOT, " %.2f |", median(runs.get(name), r -> r.groupMicrosPerRecord(g))));
      }
      row.append(String.format(Locale.ROOT, " %.0f |", median(runs.get(name), Run::jitMillis)));
      System.out.println(row);
    }
    System.out.println();
  }

  /** A recording with the JDK's "profile" settings. */
  private static jdk.jfr.Recording startRecording(String name) throws Exception {
    jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    r.setName(name);
    r.start();
    return r;
  }

  private static void progress(String round, String contender, Run r) {
    System.err.printf(Locale.ROOT, "%s %-40s %,10.0f records/s  %6.2f µs CPU/record  delivered %d  JIT %d ms  by thread %s ns%n",
        round, contender, r.recordsPerSecond, r.cpuMicrosPerRecord, r.delivered, r.jitMillis(), r.cpuByGroup);
  }

  /** Sends RECORDS into {@code topic}, which holds {@code already} records, and waits until they are all there. */
  private Run measure(String topic, long already, ThrowingRunnable send) throws Exception {
    ThreadCpu threads = new ThreadCpu();
    long cpu0 = ThreadCpu.processCpuNanos();
    long t0 = System.nanoTime();
    send.run();
    long n = delivered.await(topic, already + RECORDS, DELIVERY_LIMIT) - already;
    long elapsed = System.nanoTime() - t0;
    long cpu = ThreadCpu.processCpuNanos() - cpu0;
    Map<String, Long> byGroup = threads.since();
    return new Run(n / (elapsed / 1e9), cpu / 1e3 / Math.max(1, n), n, byGroup,
        (double) delivered.bytes(topic) / Math.max(1, already + n));
  }

  private Run bare(String topic) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "1");
    p.put("compression.type", "lz4");
    p.put("linger.ms", "10");
    p.put("batch.size", "65536");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.partitionsFor(topic); // metadata first, as the appenders' warm producers have it
      return measure(topic, 0, () -> {
        String timestamp = now();
        for (int i = 0; i < RECORDS; i++) {
          if ((i & 1023) == 0) {
            timestamp = now();
          }
          producer.send(new ProducerRecord<>(topic, Lines.patternLine(timestamp, i)));
        }
      });
    }
  }

  private Run peerThroughput(String topic) throws Exception {
    LoggerContext context = Contenders.context("peer");
    try {
      Logger log = Contenders.logger(context, Contenders.peer(context, bootstrap, topic, null));
      log.info("warm-up: creates the producer and fetches metadata");
      delivered.await(topic, 1, Duration.ofSeconds(30));
      return measure(topic, 1, () -> logAll(log));
    } finally {
      context.stop();
    }
  }

  private Run tributaryThroughput(String topic) throws Exception {
    LoggerContext context = Contenders.context("tributary");
    try {
      TributaryAppender appender = Contenders.tributary(bootstrap, topic, bufferCapacity(), 30_000);
      Logger log = Contenders.logger(context, appender);
      log.info("warm-up: fetches metadata");
      delivered.await(topic, 1, Duration.ofSeconds(30));
      LongSupplier queued = () -> appender.getClientStats().stream(StreamKind.LOGS).queued();
      Run r = measure(topic, 1, () -> {
        for (int i = 0; i < RECORDS; i++) {
          if ((i & (BACKPRESSURE_EVERY - 1)) == 0) {
            awaitRoom(queued);
          }
          log.info(Lines.MESSAGE, "A-" + (1_000_000 + i));
        }
      });
      if (appender.getDroppedCount() != 0 || appender.getClientStats().stream(StreamKind.LOGS).dropped() != 0) {
        throw new IllegalStateException("the Tributary appender dropped records: " + appender.getClientStats());
      }
      return r;
    } finally {
      context.stop();
    }
  }

  /** The SDK alone, to tell the appender's cost from the client pipeline's. */
  private Run clientThroughput(String topic) throws Exception {
    try (Tributary client = Tributary.builder().bootstrapServers(bootstrap).serviceName("bench").instanceId("bench-1")
        .logsTopic(topic).logsBufferCapacity(bufferCapacity()).logsRateLimit(10_000_000).logsRateBurst(10_000_000)
        .build()) {
      client.sendLog(LogLevel.INFO, "warm-up: fetches metadata");
      delivered.await(topic, 1, Duration.ofSeconds(30));
      LongSupplier queued = () -> client.stats().stream(StreamKind.LOGS).queued();
      Run r = measure(topic, 1, () -> {
        String thread = Thread.currentThread().getName();
        for (int i = 0; i < RECORDS; i++) {
          if ((i & (BACKPRESSURE_EVERY - 1)) == 0) {
            awaitRoom(queued);
          }
          client.sendLog(LogEntry.builder(LogLevel.INFO, Lines.message(i)).timestamp(System.currentTimeMillis())
              .logger(Contenders.LOGGER).thread(thread).build());
        }
      });
      if (client.stats().stream(StreamKind.LOGS).dropped() != 0) {
        throw new IllegalStateException("the Tributary client dropped records: " + client.stats());
      }
      return r;
    }
  }

  /**
   * The Tributary contenders' buffer: with {@code bench.backlog} &gt; 0 the appender's default
   * (8192), and the logging loop waits while more than {@code bench.backlog} records are queued,
   * as the peer and the bare producer wait inside {@code KafkaProducer.send} once their 32 MB
   * accumulator is full; with 0, a buffer that holds the whole run and no waiting (the caller
   * then races ahead and the heap holds every record until it is sent).
   */
  private static int bufferCapacity() {
    return BACKLOG > 0 ? Math.max(8192, 2 * BACKLOG) : RECORDS + 1;
  }

  /** Waits (not spinning) while the client holds more than {@code BACKLOG} records; the time counts in the run. */
  private static void awaitRoom(LongSupplier queued) {
    if (BACKLOG <= 0) {
      return;
    }
    while (queued.getAsLong() > BACKLOG) {
      LockSupport.parkNanos(50_000);
    }
  }

  private static void logAll(Logger log) {
    for (int i = 0; i < RECORDS; i++) {
      log.info(Lines.MESSAGE, "A-" + (1_000_000 + i));
    }
  }

  // --- broker down -----------------------------------------------------------------------------

  private void brokerDown() throws Exception {
    System.out.println("### Broker down: " + DOWN_CALLS + " logging calls on one thread (after a 20,000-call warm-up), "
        + ROUNDS + " rounds\n");
    System.out.println("| contender (round) | per-call latency | calls over 10 µs | calls over 1 ms | not shipped "
        + "| counted by the appender | during the calls |");
    System.out.println("|---|---|---:|---:|---:|---|---|");
    List<Latencies> ours = new ArrayList<>();
    List<Latencies> theirs = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      // Tributary, default buffer (8192): what does not fit is dropped and counted.
      downWarmUp(true);
      LoggerContext context = Contenders.context("tributary-down");
      TributaryAppender appender = Contenders.tributary("127.0.0.1:" + FreePorts.find(), "logs.down", 8192, 200);
      Logger log = Contenders.logger(context, appender);
      Pauses pauses = Pauses.start();
      Latencies t = timeCalls(log, DOWN_CALLS);
      String during = pauses.stop();
      long queued = appender.getClientStats().stream(StreamKind.LOGS).queued();
      long dropped = appender.getDroppedCount();
      context.stop();
      ours.add(t);
      System.out.printf("| Tributary appender (%d) | %s | %d | %d | %d dropped (%d buffered, delivered if Kafka returns) "
          + "| %d + %d = %d: getDroppedCount() + queued |  %s |%n", round, t.summary(), t.over(10_000), t.over(1_000_000),
          dropped, queued, dropped, queued, dropped + queued, during);

      // The peer with max.block.ms=0: nothing blocks, everything is lost, nothing counts it.
      downWarmUp(false);
      context = Contenders.context("peer-down");
      KafkaAppender<ILoggingEvent> peer = Contenders.peer(context, "127.0.0.1:" + FreePorts.find(), "logs.down", 0L);
      log = Contenders.logger(context, peer);
      pauses = Pauses.start();
      Latencies p = timeCalls(log, DOWN_CALLS);
      during = pauses.stop();
      context.stop();
      theirs.add(p);
      System.out.printf("| logback-kafka-appender, max.block.ms=0 (%d) | %s | %d | %d | %d (all) | none | %s |%n", round,
          p.summary(), p.over(10_000), p.over(1_000_000), DOWN_CALLS, during);
    }
    System.out.printf("| **Tributary appender, median of %d** | p99.9 %s, max %s | | %d | | | |%n", ROUNDS,
        Latencies.micros(Latencies.median(ours, l -> l.quantile(0.999))), Latencies.micros(Latencies.median(ours, Latencies::max)),
        Latencies.median(ours, l -> l.over(1_000_000)));
    System.out.printf("| **logback-kafka-appender max.block.ms=0, median of %d** | p99.9 %s, max %s | | %d | | | |%n", ROUNDS,
        Latencies.micros(Latencies.median(theirs, l -> l.quantile(0.999))),
        Latencies.micros(Latencies.median(theirs, Latencies::max)), Latencies.median(theirs, l -> l.over(1_000_000)));

    // The peer as configured by default blocks each call for max.block.ms (60 s); 5 s here to keep the run short.
    LoggerContext context = Contenders.context("peer-blocking");
    KafkaAppender<ILoggingEvent> peer = Contenders.peer(context, "127.0.0.1:" + FreePorts.find(), "logs.down", 5_000L);
    Logger log = Contenders.logger(context, peer);
    Latencies b = timeCalls(log, 3);
    context.stop();
    System.out.printf("| logback-kafka-appender, max.block.ms=5000 (default 60000) | 3 calls: %s each | | 3 | - | none | |%n%n",
        Latencies.micros(b.quantile(0.5)));
  }

  private void downWarmUp(boolean tributary) {
    LoggerContext context = Contenders.context("warm-up");
    String unreachable = "127.0.0.1:" + FreePorts.find();
    Logger log = tributary
        ? Contenders.logger(context, Contenders.tributary(unreachable, "logs.down", 8192, 100))
        : Contenders.logger(context, Contenders.peer(context, unreachable, "logs.down", 0L));
    timeCalls(log, 20_000);
    context.stop();
  }

  private static Latencies timeCalls(Logger log, int calls) {
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      String id = "A-" + (1_000_000 + i);
      LoggingCall event = CALL_EVENTS ? new LoggingCall() : null;
      if (event != null) {
        event.begin();
      }
      long t0 = System.nanoTime();
      log.info(Lines.MESSAGE, id);
      nanos[i] = System.nanoTime() - t0;
      if (event != null) {
        event.end();
        event.index = i;
        event.commit();
      }
    }
    return new Latencies(nanos);
  }

  // --- records lost at startup -----------------------------------------------------------------

  private void startup() throws Exception {
    System.out.println("### Broker up: " + STARTUP_RECORDS + " records logged right after the appender starts, then "
        + "LoggerContext.stop()\n");
    System.out.println("| contender | records in the topic | lost |");
    System.out.println("|---|---:|---:|");
    for (int round = 0; round < 3; round++) {
      String topic = newTopic();
      LoggerContext context = Contenders.context("tributary-startup");
      Logger log = Contenders.logger(context, Contenders.tributary(bootstrap, topic, 8192, 30_000));
      for (int i = 0; i < STARTUP_RECORDS; i++) {
        log.info(Lines.MESSAGE, "A-" + i);
      }
      context.stop();
      long t = delivered.settle(topic, Duration.ofSeconds(2), Duration.ofSeconds(30));

      topic = newTopic();
      context = Contenders.context("peer-startup");
      log = Contenders.logger(context, Contenders.peer(context, bootstrap, topic, null));
      for (int i = 0; i < STARTUP_RECORDS; i++) {
        log.info(Lines.MESSAGE, "A-" + i);
      }
      context.stop();
      long p = delivered.settle(topic, Duration.ofSeconds(2), Duration.ofSeconds(30));
      System.out.printf("| Tributary appender (start %d) | %d | %d |%n", round + 1, t, STARTUP_RECORDS - t);
      System.out.printf("| logback-kafka-appender (start %d) | %d | %d |%n", round + 1, p, STARTUP_RECORDS - p);
    }
    System.out.println();
  }

  // --- caller-thread cost at a steady rate -----------------------------------------------------

  private void callerLatency() throws Exception {
    System.out.println("### Caller-thread latency per logging call at a steady " + PACED_RATE + " calls/s (broker up; "
        + PACED_CALLS + " calls after as many for warm-up; harness timing, not JMH)\n");
    System.out.println("| contender | p50 | p90 | p99 | p99.9 | max |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    List<long[]> ours = new ArrayList<>();
    List<long[]> async = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      String topic = newTopic();
      LoggerContext context = Contenders.context("tributary-paced");
      Logger log = Contenders.logger(context, Contenders.tributary(bootstrap, topic, 8192, 30_000));
      paced(log, PACED_CALLS);
      ours.add(paced(log, PACED_CALLS));
      context.stop();

      context = Contenders.context("async-paced");
      log = Contenders.logger(context, Contenders.asyncToNull(context));
      paced(log, PACED_CALLS);
      async.add(paced(log, PACED_CALLS));
      context.stop();
    }
    Latencies t = new Latencies(concat(ours));
    Latencies a = new Latencies(concat(async));
    row("Tributary appender", t);
    row("AsyncAppender → OutputStreamAppender(null stream)", a);
    System.out.printf("| ratio Tributary / AsyncAppender | %.2f | %.2f | %.2f | %.2f | |%n%n",
        ratio(t, a, 0.5), ratio(t, a, 0.9), ratio(t, a, 0.99), ratio(t, a, 0.999));
  }

  private static double ratio(Latencies x, Latencies y, double q) {
    return (double) x.quantile(q) / y.quantile(q);
  }

  private static void row(String name, Latencies l) {
    System.out.printf("| %s | %s | %s | %s | %s | %s |%n", name, Latencies.micros(l.quantile(0.5)),
        Latencies.micros(l.quantile(0.9)), Latencies.micros(l.quantile(0.99)), Latencies.micros(l.quantile(0.999)),
        Latencies.micros(l.max()));
  }

  private static long[] paced(Logger log, int calls) {
    long[] nanos = new long[calls];
    long interval = 1_000_000_000L / PACED_RATE;
    long next = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      while (System.nanoTime() - next < 0) {
        Thread.onSpinWait();
      }
      next += interval;
      String id = "A-" + (1_000_000 + i);
      long t0 = System.nanoTime();
      log.info(Lines.MESSAGE, id);
      nanos[i] = System.nanoTime() - t0;
    }
    return nanos;
  }

  private static long[] concat(List<long[]> parts) {
    return parts.stream().flatMapToLong(java.util.Arrays::stream).toArray();
  }

  // --- plumbing --------------------------------------------------------------------------------

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private String newTopic() throws Exception {
    String topic = "logs.bench." + (++topics);
    delivered.createTopic(topic);
    return topic;
  }

  private static String now() {
    return OffsetDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"));
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v[v.length / 2];
  }

  private static String loadAverage() {
    try {
      return String.join(" ", java.util.Arrays.copyOf(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
          .split(" "), 3));
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }


  /** exec:java runs us in a class loader of its own: the broker's child JVM needs that class path. */
  private static String classpath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(new File(url.toURI()).getPath());
        } catch (Exception e) {
          entries.add(url.getPath());
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
