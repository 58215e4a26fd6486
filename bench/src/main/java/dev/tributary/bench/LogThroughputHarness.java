package dev.tributary.bench;

import dev.tributary.LogLevel;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.TributaryStats;
import dev.tributary.wire.Timestamps;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Log throughput of the SDK against its ceiling, a bare {@code KafkaProducer} configured like the
 * SDK's log profile (acks=1, lz4, linger 10 ms, 64 KB batches), publishing records of the same
 * size, with the same headers, to the same broker, in the same run. Target: SDK/bare of at least
 * 0.85 in delivered records per second.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.tributary.bench.LogThroughputHarness
 *      [--records N] [--record-bytes B] [--rounds R] [--buffer C] [--bootstrap HOST:PORT | --in-jvm-broker]
 *      [--quick]
 * </pre>
 *
 * <p>Defaults: 1,000,000 records a run, 3 rounds, a log envelope padded to at least 250 bytes, the
 * SDK's default log buffer ({@value dev.tributary.TributaryBuilder#DEFAULT_LOGS_BUFFER_CAPACITY}
 * records; the sending loop waits while less than a quarter of it is free, as the bare producer's
 * {@code send} waits for buffer memory; {@code --buffer 0}: a buffer that holds the whole run, no
 * pacing, and the GC then copies up to a million queued records), and
 * a broker the harness starts in a child JVM ({@code --in-jvm-broker}: in this JVM;
 * {@code --bootstrap}: one that is already running). {@code --quick}: 20,000 records, one round.
 *
 * <p>The SDK runs with its log rate limit turned off (by default it accepts 10 k records/s, far
 * below what this harness offers). A run publishes N records and is timed from the first send to the last acknowledgement (SDK:
 * {@code flush} returned with nothing undelivered; bare: every callback ran). Rounds alternate
 * the order (bare then SDK, SDK then bare, ...) and each run has a fresh topic (3 partitions,
 * created up front) and a fresh producer or client that is connected before the clock starts.
 * Unreported warm-up runs of both come first, alternating, until the JIT compiler has settled (a
 * pair of warm-up runs spent under 5% of its wall time compiling; at most 12 pairs, each printed):
 * on these two cores C2 compilation went on for the first 3-4 M records and took 1-2 s of CPU
 * per 1 M-record run, which the timed runs would otherwise count. CPU per record is reported twice: for the client's
 * own threads (the sending thread, the SDK's I/O and scheduler threads, the producer's network
 * thread; correct even with the broker in this JVM), and for the whole process (includes GC and
 * JIT, and the broker when it runs in this JVM); {@code -Dbench.threadCpu=true} also prints every
 * thread's CPU per run, GC and JIT threads included. A SDK run that dropped or failed a record does not
 * count: the harness then exits with status 1.
 */
public final class LogThroughputHarness {
  static final String SERVICE = "bench";
  static final String BARE_CLIENT_ID = "bench-bare";
  private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(5);
  static final int MAX_WARMUP_PAIRS = 12;

  private LogThroughputHarness() {}

  /** What to run. */
  record Options(long records, int recordBytes, int rounds, int buffer, String bootstrap, boolean inJvmBroker,
      boolean quick) {
    static Options parse(String... args) {
      long records = 1_000_000;
      int recordBytes = 250;
      int rounds = 3;
      int buffer = dev.tributary.TributaryBuilder.DEFAULT_LOGS_BUFFER_CAPACITY;
      String bootstrap = null;
      boolean quick = false;
      boolean inJvmBroker = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--quick" -> quick = true;
          case "--in-jvm-broker" -> inJvmBroker = true;
          case "--records" -> records = Long.parseLong(value(args, ++i, a));
          case "--record-bytes" -> recordBytes = Integer.parseInt(value(args, ++i, a));
          case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
          case "--buffer" -> buffer = Integer.parseInt(value(args, ++i, a));
          case "--bootstrap" -> bootstrap = value(args, ++i, a);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (quick) {
        records = Math.min(records, 20_000);
        rounds = Math.min(rounds, 1);
      }
      if (records <= 0 || rounds <= 0 || recordBytes <= 0 || buffer < 0) {
        throw new IllegalArgumentException("--records, --rounds and --record-bytes must be positive, --buffer not negative");
      }
      return new Options(records, recordBytes, rounds, buffer, bootstrap, inJvmBroker, quick);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    /** The SDK's log buffer: the given capacity, or (0) all the records of a run (nothing can be dropped). */
    int bufferCapacity() {
      return buffer > 0 ? buffer : (int) Math.min(Integer.MAX_VALUE - 8, records + 16);
    }

    /** Records of each warm-up run: a fifth of a run, at least 200,000 (all of a short run). */
    long warmupRecords() {
      return Math.min(records, Math.max(records / 5, 200_000));
    }
  }

  /** One timed run. */
  record Run(String mode, int round, long records, long nanos, long clientCpuNanos, long processCpuNanos,
      long busiestThreadCpuNanos, long wireBytes, long dropped, long failed) {
    Run withWireBytes(long bytes) {
      return new Run(mode, round, records, nanos, clientCpuNanos, processCpuNanos, busiestThreadCpuNanos, bytes, dropped,
          failed);
    }

    /** Bytes per record as the broker stored them (compressed batches, headers included). */
    double wireBytesPerRecord() {
      return (double) wireBytes / records;
    }

    double recordsPerSecond() {
      return records * 1e9 / nanos;
    }

    double clientCpuMicrosPerRecord() {
      return clientCpuNanos / 1e3 / records;
    }

    double processCpuMicrosPerRecord() {
      return processCpuNanos / 1e3 / records;
    }

    /** CPU time of the client's busiest thread as a share of the run's wall time (1.0: saturated). */
    double busiestThreadShare() {
      return (double) busiestThreadCpuNanos / nanos;
    }

    boolean valid() {
      return dropped == 0 && failed == 0;
    }
  }

  /** Every run of a harness invocation, and the figures derived from them. */
  record Report(Options options, String broker, int recordBytes, List<Run> runs) {
    List<Run> of(String mode) {
      return runs.stream().filter(r -> r.mode().equals(mode)).toList();
    }

    /** SDK/bare records per second of each round. */
    List<Double> ratios() {
      List<Run> sdk = of("sdk");
      List<Run> bare = of("bare");
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < Math.min(sdk.size(), bare.size()); i++) {
        ratios.add(sdk.get(i).recordsPerSecond() / bare.get(i).recordsPerSecond());
      }
      return ratios;
    }

    double medianRatio() {
      return median(ratios());
    }

    boolean valid() {
      return runs.stream().allMatch(Run::valid);
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("LogThroughputHarness: " + e.getMessage());
      System.err.println("usage: LogThroughputHarness [--records N] [--record-bytes B] [--rounds R] [--buffer C]"
          + " [--bootstrap HOST:PORT | --in-jvm-broker] [--quick]");
      System.exit(2);
      return;
    }
    Report report = run(options, System.out);
    System.exit(report.valid() ? 0 : 1);
  }

  /** Starts a broker unless one is given, runs the rounds, prints the figures and returns them. */
  static Report run(Options options, PrintStream out) {
    BenchClients.quietLogs();
    try (BenchBroker broker = options.bootstrap() != null ? BenchBroker.external(options.bootstrap())
        : options.inJvmBroker() ? BenchBroker.startInJvm() : BenchBroker.startProcess()) {
      return run(options, broker, out);
    }
  }

  static Report run(Options options, BenchBroker broker, PrintStream out) {
    String prefix = "bench." + Long.toString(System.currentTimeMillis(), 36) + ".";
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(prefix + "calibration", 1);
    topics.put(prefix + "warmup.sdk", 3);
    topics.put(prefix + "warmup.bare", 3);
    for (int r = 1; r <= options.rounds(); r++) {
      topics.put(prefix + "r" + r + ".sdk", 3);
      topics.put(prefix + "r" + r + ".bare", 3);
    }
    topics.put(BenchClients.METRICS_TOPIC, 3);
    topics.put(BenchClients.HEALTH_TOPIC, 3);
    createMissing(broker, topics);

    out.printf(Locale.ROOT, "LogThroughputHarness %s: %d records x %d rounds, target %d bytes, SDK log buffer %d, %s, %d CPUs, JDK %s%n",
        Instant.now(), options.records(), options.rounds(), options.recordBytes(), options.bufferCapacity(),
        broker.description(), Runtime.getRuntime().availableProcessors(), Runtime.version());

    Workload workload = Workload.calibrate(broker.bootstrapServers(), prefix + "calibration", options.recordBytes());
    out.printf(Locale.ROOT, "record: %d value bytes + %d header bytes (SDK log envelope, message of %d chars)%n",
        workload.value.length, workload.headerBytes(), workload.message.length());

    warmUp(broker, prefix, workload, options, out);

    List<Run> runs = new ArrayList<>();
    out.println("round  mode   records    seconds   records/s   client-CPU us/rec   process-CPU us/rec   busiest-thread   wire-B/rec   dropped   failed");
    for (int r = 1; r <= options.rounds(); r++) {
      boolean bareFirst = r % 2 == 1;
      for (int k = 0; k < 2; k++) {
        boolean bare = (k == 0) == bareFirst;
        Run run = bare
            ? runBare(broker, prefix + "r" + r + ".bare", workload, options.records(), r)
            : runSdk(broker, prefix + "r" + r + ".sdk", workload, options.records(), options, r);
        run = run.withWireBytes(broker.topicBytes(prefix + "r" + r + "." + run.mode()));
        runs.add(run);
        out.printf(Locale.ROOT, "%5d  %-5s %8d  %9.3f  %10.0f   %17.2f   %18.2f   %14.2f   %10.1f   %7d   %6d%n", r,
            run.mode(), run.records(), run.nanos() / 1e9, run.recordsPerSecond(), run.clientCpuMicrosPerRecord(),
            run.processCpuMicrosPerRecord(), run.busiestThreadShare(), run.wireBytesPerRecord(), run.dropped(), run.failed());
      }
    }
    Report report = new Report(options, broker.description(), workload.value.length, runs);
    List<Double> ratios = report.ratios();
    StringBuilder perRound = new StringBuilder();
    for (double ratio : ratios) {
      perRound.append(perRound.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", ratio));
    }
    out.printf(Locale.ROOT, "SDK/bare records/s per round: %s; median %.3f (target >= 0.85)%n", perRound, report.medianRatio());
    out.printf(Locale.ROOT, "client-thread CPU per record, median: SDK %.2f us, bare %.2f us (ratio %.2f)%n",
        medianOf(report.of("sdk"), Run::clientCpuMicrosPerRecord), medianOf(report.of("bare"), Run::clientCpuMicrosPerRecord),
        medianOf(report.of("sdk"), Run::clientCpuMicrosPerRecord) / medianOf(report.of("bare"), Run::clientCpuMicrosPerRecord));
    if (!report.valid()) {
      out.println("INVALID: a run dropped or failed records; its figures do not count");
    }
    return report;
  }

  /**
   * Alternates warm-up runs of both contenders until the JIT compiler is done with them
   * ({@link JitWarmUp}, at most {@link #MAX_WARMUP_PAIRS} pairs).
   */
  private static void warmUp(BenchBroker broker, String prefix, Workload workload, Options options, PrintStream out) {
    long records = options.warmupRecords();
    out.printf(Locale.ROOT, "warm-up: %d records each per pair%n", records);
    try {
      JitWarmUp.untilSettled(MAX_WARMUP_PAIRS, () -> {
        runSdk(broker, prefix + "warmup.sdk", workload, records, options, 0);
        runBare(broker, prefix + "warmup.bare", workload, records, 0);
      }, out);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("warm-up failed", e);
    }
  }

  private static void createMissing(BenchBroker broker, Map<String, Integer> topics) {
    // An external broker may hold the shared topics already; the run's own topics are always new.
    Map<String, Integer> fresh = new LinkedHashMap<>(topics);
    if (broker.startedHere()) {
      broker.createTopics(fresh);
      return;
    }
    fresh.remove(BenchClients.METRICS_TOPIC);
    fresh.remove(BenchClients.HEALTH_TOPIC);
    broker.createTopics(fresh);
  }

  // --- the SDK -------------------------------------------------------------------------------

  static Run runSdk(BenchBroker broker, String topic, Workload w, long records, Options options, int round) {
    int capacity = options.bufferCapacity();
    boolean paced = capacity < records;
    Tributary client = Tributary.builder()
        .bootstrapServers(broker.bootstrapServers())
        .serviceName(SERVICE)
        .instanceId("bench-1")
        .logsTopic(topic)
        .logsBufferCapacity(capacity)
        // The default limit (10 k/s) protects the broker from a log storm; this run is one on purpose.
        .logsRateLimit(0)
        .closeTimeout(Duration.ofSeconds(10))
        .build();
    try {
      // Connected, with the topic's metadata, before the clock starts; this record is not counted.
      BenchClients.awaitConnected(client);
      TributaryStats.StreamStats before = client.stats().stream(StreamKind.LOGS);
      gc();
      CpuClock cpu = CpuClock.start(isSdkThread());
      long start = System.nanoTime();
      for (long i = 0; i < records; i++) {
        if (paced && (i & 1023) == 0) {
          awaitRoom(client, capacity);
        }
        client.sendLog(LogLevel.INFO, w.message);
      }
      boolean complete = client.flush(DELIVERY_TIMEOUT).isComplete();
      long nanos = System.nanoTime() - start;
      CpuClock.Elapsed spent = cpu.stop();
      TributaryStats.StreamStats after = client.stats().stream(StreamKind.LOGS);
      long delivered = after.sent() - before.sent();
      long dropped = after.dropped() - before.dropped() + after.rejected() - before.rejected();
      long failed = after.failed() - before.failed() + (complete ? 0 : records - delivered);
      return new Run("sdk", round, delivered, nanos, spent.threads(), spent.process(), spent.busiest(), 0, dropped, failed);
    } finally {
      client.close();
    }
  }

  /** Pacing for a buffer smaller than the run: keeps a quarter of the buffer free, so no call is dropped. */
  private static void awaitRoom(Tributary client, int capacity) {
    while (client.stats().stream(StreamKind.LOGS).queued() > capacity - Math.max(2048, capacity / 4)) {
      LockSupport.parkNanos(100_000);
    }
  }

  private static Predicate<String> isSdkThread() {
    String service = SERVICE;
    return name -> name.equals("tributary-io-" + service) || name.equals("tributary-scheduler-" + service)
        || name.endsWith("| tributary-" + service + "-telemetry") || name.endsWith("| tributary-" + service + "-events");
  }

  // --- the bare producer ---------------------------------------------------------------------

  static Run runBare(BenchBroker broker, String topic, Workload w, long records, int round) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, BARE_CLIENT_ID);
    // The SDK's throughput profile (sdk-core ProducerProfiles.throughput), but a blocking send.
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
    props.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      try {
        producer.send(w.record(topic, 0)).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the bare producer did not reach " + broker.bootstrapServers(), e);
      }
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      CountDownLatch all = new CountDownLatch(1);
      Callback callback = (metadata, exception) -> {
        if (exception != null) {
          failed.incrementAndGet();
        }
        if (done.incrementAndGet() == records) {
          all.countDown();
        }
      };
      gc();
      CpuClock cpu = CpuClock.start(name -> name.endsWith("| " + BARE_CLIENT_ID));
      long start = System.nanoTime();
      for (long i = 0; i < records; i++) {
        producer.send(w.record(topic, i), callback);
      }
      boolean complete;
      try {
        complete = all.await(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        complete = false;
      }
      long nanos = System.nanoTime() - start;
      CpuClock.Elapsed spent = cpu.stop();
      long delivered = done.get() - failed.get();
      return new Run("bare", round, delivered, nanos, spent.threads(), spent.process(), spent.busiest(), 0, 0,
          failed.get() + (complete ? 0 : records - done.get()));
    }
  }

  // --- workload ------------------------------------------------------------------------------

  /**
   * The log message (no structured fields) that makes the SDK's envelope about the target size, and
   * one such envelope as the SDK published it (value and headers): the bare producer sends exactly
   * those bytes. The envelope without a message is about 240 bytes (timestamp, run id, sequence,
   * service, instance, level, thread), so smaller targets cannot be met.
   */
  static final class Workload {
    /** Distinct values the bare producer cycles through (about 20 MB, built before any clock starts). */
    static final int VARIANTS = 1 << 16;
    /** The SDK's log rate in these runs is a few hundred thousand records/s: its timestamps move 1 ms every ~300 records. */
    private static final int RECORDS_PER_MILLI = 300;
    private static final Pattern SEQ = Pattern.compile("\"seq\":\\d+");
    private static final Pattern TIMESTAMP = Pattern.compile("\"@timestamp\":\"[^\"]+\"");

    final String message;
    final byte[] value;
    final Header[] headers;
    /**
     * What the bare producer sends: the SDK's envelope with the sequence number and timestamp
     * varied as the SDK varies them, so that both sides compress alike (identical values would
     * compress to less on the wire than the SDK's records do).
     */
    final byte[][] values;

    private Workload(String message, byte[] value, Header[] headers) {
      this.message = message;
      this.value = value;
      this.headers = headers;
      this.values = variants(value, VARIANTS);
    }

    /** The {@code i}-th record of a bare run. */
    ProducerRecord<String, byte[]> record(String topic, long i) {
      return new ProducerRecord<>(topic, null, null, null, values[(int) (i % values.length)], new RecordHeaders(headers));
    }

    static byte[][] variants(byte[] value, int count) {
      String json = new String(value, StandardCharsets.UTF_8);
      Matcher ts = TIMESTAMP.matcher(json);
      if (!ts.find() || !SEQ.matcher(json).find()) {
        throw new IllegalStateException("not a log envelope: " + json);
      }
      String stamp = ts.group();
      Instant start = Instant.parse(stamp.substring("\"@timestamp\":\"".length(), stamp.length() - 1));
      byte[][] out = new byte[count][];
      for (int i = 0; i < count; i++) {
        // Six-digit sequence numbers, as most of a 1 M-record SDK run has.
        String varied = SEQ.matcher(json).replaceFirst("\"seq\":" + (100_000 + i));
        String at = Timestamps.format(start.plusMillis(i / RECORDS_PER_MILLI).toEpochMilli());
        varied = TIMESTAMP.matcher(varied).replaceFirst(Matcher.quoteReplacement("\"@timestamp\":\"" + at + "\""));
        out[i] = varied.getBytes(StandardCharsets.UTF_8);
      }
      return out;
    }

    int headerBytes() {
      int n = 0;
      for (Header h : headers) {
        n += h.key().length() + (h.value() == null ? 0 : h.value().length);
      }
      return n;
    }

    /** Publishes two records through the SDK: one to measure the envelope, one of the target size. */
    static Workload calibrate(String bootstrap, String topic, int targetBytes) {
      String base = BenchClients.LOG_MESSAGE;
      ConsumerRecord<byte[], byte[]> first = publishAndRead(bootstrap, topic, base, 0);
      int padding = Math.max(0, targetBytes - first.value().length);
      String message = base + (padding == 0 ? "" : " " + "x".repeat(Math.max(0, padding - 1)));
      ConsumerRecord<byte[], byte[]> sized = publishAndRead(bootstrap, topic, message, 1);
      return new Workload(message, sized.value(), sized.headers().toArray());
    }

    private static ConsumerRecord<byte[], byte[]> publishAndRead(String bootstrap, String topic, String message, long offset) {
      try (Tributary client = Tributary.builder().bootstrapServers(bootstrap).serviceName(SERVICE).instanceId("bench-1")
          .logsTopic(topic).logsRateLimit(0).build()) {
        client.sendLog(LogLevel.INFO, message);
        if (!client.flush(Duration.ofSeconds(30)).isComplete()) {
          throw new IllegalStateException("calibration record not delivered to " + bootstrap);
        }
      }
      Map<String, Object> props = Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.offset() == offset) {
              return r;
            }
          }
        }
      }
      throw new IllegalStateException("calibration record at offset " + offset + " of " + topic + " not read back");
    }
  }

  // --- measurement helpers -------------------------------------------------------------------

  /** CPU time of this process, and of the calling thread plus the threads a name filter selects. */
  static final class CpuClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Predicate<String> clientThreads;
    private final long caller = Thread.currentThread().getId();
    private final long processStart;
    private final Map<Long, Long> threadStart;
    private final Map<String, Long> osThreadStart;

    /** CPU of the selected threads together, of the busiest one alone, and of the process. */
    record Elapsed(long threads, long busiest, long process) {}

    private CpuClock(Predicate<String> clientThreads) {
      this.clientThreads = clientThreads;
      this.threadStart = threadCpu();
      this.processStart = processCpu();
      this.osThreadStart = OsThreads.enabled() ? OsThreads.snapshot() : Map.of();
    }

    static CpuClock start(Predicate<String> clientThreads) {
      return new CpuClock(clientThreads);
    }

    /** Must run before the client's threads end: a finished thread's CPU time is gone. */
    Elapsed stop() {
      long process = processCpu() - processStart;
      if (OsThreads.enabled()) {
        OsThreads.print(osThreadStart, OsThreads.snapshot(), process);
      }
      long threads = 0;
      long busiest = 0;
      for (Map.Entry<Long, Long> e : threadCpu().entrySet()) {
        long spent = e.getValue() - threadStart.getOrDefault(e.getKey(), 0L);
        threads += spent;
        busiest = Math.max(busiest, spent);
      }
      return new Elapsed(threads, busiest, process);
    }

    private Map<Long, Long> threadCpu() {
      Map<Long, Long> cpu = new HashMap<>();
      for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info != null && (info.getThreadId() == caller || clientThreads.test(info.getThreadName()))) {
          long t = THREADS.getThreadCpuTime(info.getThreadId());
          if (t >= 0) {
            cpu.put(info.getThreadId(), t);
          }
        }
      }
      return cpu;
    }

    private static long processCpu() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
  }

  private static void gc() {
    System.gc();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double medianOf(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    return median(runs.stream().map(r -> f.applyAsDouble(r)).toList());
  }
}
