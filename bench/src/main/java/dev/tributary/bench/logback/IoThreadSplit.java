package dev.tributary.bench.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.bench.JitWarmUp;
import dev.tributary.logback.TributaryAppender;
import dev.tributary.redaction.Redaction;
import dev.tributary.testkit.KafkaBrokerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Why a record costs the SDK's I/O thread what it costs: the same client and broker, records that
 * differ in one thing at a time (the message, the logger field, a new message string per record,
 * the redaction rules, Logback in front), I/O-thread CPU per delivered record for each.
 *
 * <pre>
 * java -Xmx1g -Dbench.rounds=3 -cp bench/target/benchmarks.jar dev.tributary.bench.logback.IoThreadSplit
 * </pre>
 *
 * {@code -Dbench.only=<substring>} keeps the variants whose names contain it.
 */
public final class IoThreadSplit {
  private static final int RECORDS = Integer.getInteger("bench.records", 300_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final int BACKLOG = 4096;
  /** LogThroughputHarness's message for a ~250-byte envelope. */
  private static final String HARNESS_MESSAGE = "payment authorised for order xxxxxxxxx";

  private final String bootstrap;
  private final Delivered delivered;
  private int topics;

  private IoThreadSplit(String bootstrap, Delivered delivered) {
    this.bootstrap = bootstrap;
    this.delivered = delivered;
  }

  private interface Variant {
    Map<String, Long> run(String topic) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    LoggerContext own = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    own.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.ERROR);
    own.getLogger("dev.tributary").setLevel(ch.qos.logback.classic.Level.ERROR);
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().args("--partitions", "3")
        .classpath(System.getProperty("java.class.path")).start();
        Delivered delivered = new Delivered(broker.bootstrapServers())) {
      new IoThreadSplit(broker.bootstrapServers(), delivered).run();
    }
  }

  private void run() throws Exception {
    String appenderLine = Lines.message(0);
    Map<String, Variant> variants = new LinkedHashMap<>();
    variants.put("harness line, one String, no logger", t -> client(t, Redaction.defaults(), i ->
        LogEntry.builder(LogLevel.INFO, HARNESS_MESSAGE).build()));
    variants.put("harness line, one String, logger+thread+timestamp", t -> client(t, Redaction.defaults(), i ->
        LogEntry.builder(LogLevel.INFO, HARNESS_MESSAGE).timestamp(System.currentTimeMillis())
            .logger(Contenders.LOGGER).thread("main").build()));
    variants.put("appender line, one String, logger+thread+timestamp", t -> client(t, Redaction.defaults(), i ->
        LogEntry.builder(LogLevel.INFO, appenderLine).timestamp(System.currentTimeMillis())
            .logger(Contenders.LOGGER).thread("main").build()));
    variants.put("appender line, new String, logger+thread+timestamp", t -> client(t, Redaction.defaults(), i ->
        LogEntry.builder(LogLevel.INFO, Lines.message(i)).timestamp(System.currentTimeMillis())
            .logger(Contenders.LOGGER).thread("main").build()));
    variants.put("appender line, new String, no redaction", t -> client(t, Redaction.none(), i ->
        LogEntry.builder(LogLevel.INFO, Lines.message(i)).timestamp(System.currentTimeMillis())
            .logger(Contenders.LOGGER).thread("main").build()));
    variants.put("Tributary appender", t -> appender(t, false));
    variants.put("Tributary appender, 3 MDC entries, 2 key-values, a marker", t -> appender(t, true));
    String only = System.getProperty("bench.only"); // a substring of variant names
    if (only != null) {
      variants.keySet().removeIf(name -> !name.contains(only));
    }
    JitWarmUp.untilSettled(Integer.getInteger("bench.warmupRounds", 6), () -> {
      for (Map.Entry<String, Variant> v : variants.entrySet()) {
        print("warm-up", v.getKey(), v.getValue().run(newTopic()));
      }
    }, System.err);
    Map<String, List<Map<String, Long>>> runs = new LinkedHashMap<>();
    for (int round = 1; round <= ROUNDS; round++) {
      for (Map.Entry<String, Variant> v : variants.entrySet()) {
        Map<String, Long> r = v.getValue().run(newTopic());
        runs.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(r);
        print("round " + round, v.getKey(), r);
      }
    }
    System.out.println("| variant | I/O thread µs/record, per round | median | caller µs/record (median) | network |");
    System.out.println("|---|---|---:|---:|---:|");
    runs.forEach((name, rs) -> {
      double[] io = rs.stream().mapToDouble(r -> perRecord(r, ThreadCpu.IO)).sorted().toArray();
      double[] caller = rs.stream().mapToDouble(r -> perRecord(r, ThreadCpu.CALLER)).sorted().toArray();
      double[] net = rs.stream().mapToDouble(r -> perRecord(r, ThreadCpu.NETWORK)).sorted().toArray();
      StringBuilder each = new StringBuilder();
      for (Map<String, Long> r : rs) {
        each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", perRecord(r, ThreadCpu.IO)));
      }
      System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", name, each, io[io.length / 2],
          caller[caller.length / 2], net[net.length / 2]);
    });
  }

  private static double perRecord(Map<String, Long> r, String group) {
    return r.getOrDefault(group, 0L) / 1e3 / RECORDS;
  }

  private static void print(String round, String variant, Map<String, Long> r) {
    System.err.printf(Locale.ROOT, "%s %-55s I/O %.2f caller %.2f µs/record%n", round, variant,
        perRecord(r, ThreadCpu.IO), perRecord(r, ThreadCpu.CALLER));
  }

  private Map<String, Long> client(String topic, Redaction redaction, IntFunction<LogEntry> entries) throws Exception {
    try (Tributary client = Tributary.builder().bootstrapServers(bootstrap).serviceName("bench").instanceId("bench-1")
        .logsTopic(topic).logsBufferCapacity(2 * BACKLOG).logsRateLimit(10_000_000).logsRateBurst(10_000_000)
        .redaction(redaction).build()) {
      client.sendLog(LogLevel.INFO, "warm-up: fetches metadata");
      delivered.await(topic, 1, Duration.ofSeconds(30));
      return measure(topic, () -> client.stats().stream(StreamKind.LOGS).queued(), i -> client.sendLog(entries.apply(i)));
    }
  }

  /** {@code rich}: AppenderMappingBenchmark's mdc-kv event (trace and span ids and a label in the MDC, two key-values, a marker). */
  private Map<String, Long> appender(String topic, boolean rich) throws Exception {
    LoggerContext context = Contenders.context("tributary");
    org.slf4j.MDC.clear();
    if (rich) {
      org.slf4j.MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
      org.slf4j.MDC.put("span_id", "00f067aa0ba902b7");
      org.slf4j.MDC.put("tenant", "acme");
    }
    org.slf4j.Marker audit = org.slf4j.MarkerFactory.getMarker("AUDIT");
    try {
      TributaryAppender appender = Contenders.tributary(bootstrap, topic, 2 * BACKLOG, 30_000);
      Logger log = Contenders.logger(context, appender);
      log.info("warm-up: fetches metadata");
      delivered.await(topic, 1, Duration.ofSeconds(30));
      return measure(topic, () -> appender.getClientStats().stream(StreamKind.LOGS).queued(), i -> {
        String id = "A-" + (1_000_000 + i);
        if (rich) {
          log.atInfo().addMarker(audit).addKeyValue("order", id).addKeyValue("items", 3).log(Lines.MESSAGE, id);
        } else {
          log.info(Lines.MESSAGE, id);
        }
      });
    } finally {
      org.slf4j.MDC.clear();
      context.stop();
    }
  }

  /** Sends RECORDS records ({@code send} the i-th), waiting while more than BACKLOG are queued; CPU by thread group. */
  private Map<String, Long> measure(String topic, LongSupplier queued, IntConsumer send) {
    ThreadCpu threads = new ThreadCpu();
    for (int i = 0; i < RECORDS; i++) {
      if ((i & 1023) == 0) {
        awaitRoom(queued);
      }
      send.accept(i);
    }
    long n = delivered.await(topic, 1 + RECORDS, Duration.ofMinutes(3)) - 1;
    if (n != RECORDS) {
      throw new IllegalStateException(n + " of " + RECORDS + " delivered");
    }
    return threads.since();
  }

  private static void awaitRoom(LongSupplier queued) {
    while (queued.getAsLong() > BACKLOG) {
      LockSupport.parkNanos(50_000);
    }
  }

  private String newTopic() throws Exception {
    String topic = "logs.split." + (++topics);
    delivered.createTopic(topic);
    return topic;
  }
}
