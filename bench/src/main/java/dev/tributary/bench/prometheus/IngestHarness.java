package dev.tributary.bench.prometheus;

import dev.tributary.bench.JitWarmUp;
import dev.tributary.bench.OsThreads;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.sidecar.prometheus.PrometheusSidecar;
import dev.tributary.sidecar.prometheus.PrometheusSidecarKeys;
import dev.tributary.testkit.KafkaBrokerProcess;
import dev.tributary.wire.EnvelopeCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.ConsumerPerformance;

/**
 * Ingest records/s of the Prometheus sidecar against Kafka's own {@code ConsumerPerformance}
 * (kafka-tools) on the same topic, in the same run. Target: sidecar/ConsumerPerformance ≥ 0.5.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.tributary.bench.prometheus.IngestHarness
 *      [--records N] [--instances I] [--rounds R] [--warmup-rounds MAX] [--sidecar KEY=VALUE]...
 *      [--jfr FILE] [--bootstrap HOST:PORT] [--quick]
 * </pre>
 *
 * <p>The harness starts a broker in a child JVM (testkit {@code KafkaBrokerProcess}), creates
 * {@code metrics.events} and {@code health.events} with 3 partitions, and publishes N metric
 * envelopes (default 1,500,000), encoded with {@code EnvelopeCodec}, keyed {@code service/instance},
 * with the SDK's metrics producer profile (acks=1, lz4, linger 10 ms, 64 KB batches): I instances
 * (default 100) × 100 series (20 metrics × 5 routes; counters, gauges, histograms with 10 buckets),
 * one cumulative sample per series per 10 s step, as many steps as it takes.
 *
 * <p>Each round then reads all of it twice, alternating which goes first:
 * <ul>
 *   <li><b>ConsumerPerformance</b>: {@code ConsumerPerformance.main} with {@code --num-records N}
 *       and a fresh group; its own {@code nMsg.sec} (from subscribe to the last record, so it
 *       includes joining the group) and {@code fetch.nMsg.sec} (without the join) are reported.</li>
 *   <li><b>sidecar</b>: a real {@code PrometheusSidecar} ({@code create(config).start()}, HTTP on a
 *       free port, DLQ producer, consume loop, fresh group, staleness timeout 2 h so that every
 *       sample is applied), timed from {@code start()} to {@code isReady()} (caught up to the end
 *       offsets: every record decoded and in the series store). Its {@code /metrics} is then read to
 *       check the records consumed, the series held and that nothing failed.</li>
 * </ul>
 * CPU per record is this process's CPU time over the run (the broker is in another process), JIT
 * milliseconds the compilers' time over the run; {@code -Dbench.threadCpu=true} prints every
 * thread's CPU per run (GC and JIT threads included).
 *
 * <p>Before the timed rounds, untimed warm-up rounds of both contenders run until the JIT compiler
 * has settled ({@link JitWarmUp}, at most {@code --warmup-rounds}, default
 * {@value #DEFAULT_MAX_WARMUP_ROUNDS}; 0 measures cold): on two cores C2 compiled for seconds
 * inside the first rounds, which a long-running sidecar pays once. Each warm-up round is printed,
 * the first one is the cold figure. {@code --sidecar KEY=VALUE} passes sidecar configuration (e.g.
 * {@code max.series.per.metric=2000}); {@code --jfr FILE} records the timed rounds only (JFR's profile
 * settings) into FILE. JFR's first start in a JVM throws compiled code away, so those rounds
 * recompile; for a warm profile start the recording at launch ({@code -XX:StartFlightRecording}) instead.
 */
public final class IngestHarness {
  static final String METRICS_TOPIC = "metrics.events";
  static final String HEALTH_TOPIC = "health.events";
  static final int METRICS_PER_INSTANCE = 20;
  static final int ROUTES = 5;
  /** Untimed warm-up rounds at most, before the timed ones; 0 measures cold. */
  static final int DEFAULT_MAX_WARMUP_ROUNDS = 8;

  private IngestHarness() {}

  record Options(long records, int instances, int rounds, int warmupRounds, String bootstrap, boolean quick,
      Map<String, String> sidecarConfig, String jfr) {
    static Options parse(String... args) {
      long records = 1_500_000;
      int instances = 100;
      int rounds = 3;
      int warmupRounds = DEFAULT_MAX_WARMUP_ROUNDS;
      Map<String, String> sidecarConfig = new HashMap<>();
      String jfr = null;
      String bootstrap = null;
      boolean quick = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--records" -> records = Long.parseLong(args[++i]);
          case "--instances" -> instances = Integer.parseInt(args[++i]);
          case "--rounds" -> rounds = Integer.parseInt(args[++i]);
          case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
          case "--jfr" -> jfr = args[++i];
          case "--sidecar" -> {
            String kv = args[++i];
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--sidecar takes KEY=VALUE, got " + kv);
            }
            sidecarConfig.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          case "--bootstrap" -> bootstrap = args[++i];
          case "--quick" -> {
            quick = true;
            records = 20_000;
            instances = 10;
            rounds = 1;
            warmupRounds = 0;
          }
          default -> throw new IllegalArgumentException(
              "unknown option " + args[i] + " (--records N, --instances I, --rounds R, --warmup-rounds MAX, "
                  + "--sidecar KEY=VALUE, --jfr FILE, --bootstrap HOST:PORT, --quick)");
        }
      }
      return new Options(records, instances, rounds, warmupRounds, bootstrap, quick, Map.copyOf(sidecarConfig), jfr);
    }
  }

  /** One read of the whole topic. */
  record Run(int round, String mode, long records, double seconds, double recordsPerSecond, double fetchRecordsPerSecond,
      double cpuMicrosPerRecord, long jitMillis, String note) {}

  record Report(long records, double bytesPerRecord, long series, List<Run> runs, double[] ratios, double medianRatio) {}

  public static void main(String[] args) throws Exception {
    Report report = run(Options.parse(args), System.out);
    if (report == null) {
      System.exit(1);
    }
  }

  static Report run(Options o, PrintStream out) throws Exception {
    quietLogs();
    Workload w = new Workload(METRICS_PER_INSTANCE, o.instances(), ROUTES);
    long steps = Math.max(1, o.records() / w.seriesPerInstance() / o.instances());
    long records = steps * w.seriesPerInstance() * o.instances();
    KafkaBrokerProcess broker = o.bootstrap() == null ? KafkaBrokerProcess.start() : null;
    try {
      String bootstrap = broker != null ? broker.bootstrapServers() : o.bootstrap();
      out.printf("sidecar-prometheus ingest: %,d metric envelopes (%d instances × %d series × %d steps), broker %s, "
              + "JDK %s, %d cores%n", records, o.instances(), w.seriesPerInstance(), steps,
          broker != null ? "in a child JVM (pid " + broker.pid() + ")" : "at " + bootstrap,
          System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
      String suffix = Long.toHexString(System.nanoTime());
      String metricsTopic = broker != null ? METRICS_TOPIC : METRICS_TOPIC + "." + suffix;
      String healthTopic = broker != null ? HEALTH_TOPIC : HEALTH_TOPIC + "." + suffix;
      createTopics(bootstrap, metricsTopic, healthTopic);
      double bytesPerRecord = produce(bootstrap, metricsTopic, w, (int) steps, out);

      if (o.warmupRounds() > 0) {
        int[] warmup = {0};
        JitWarmUp.untilSettled(o.warmupRounds(), () -> {
          warmup[0]++;
          consumerPerformance(-warmup[0], bootstrap, metricsTopic, records, out);
          sidecar(-warmup[0], bootstrap, metricsTopic, healthTopic, records, w.series(), o.sidecarConfig(), out);
        }, out);
      }
      jdk.jfr.Recording recording = null;
      if (o.jfr() != null) {
        recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.setDestination(java.nio.file.Path.of(o.jfr()));
        recording.start();
      }
      List<Run> runs = new ArrayList<>();
      double[] ratios = new double[o.rounds()];
      for (int round = 1; round <= o.rounds(); round++) {
        Run baseline;
        Run sidecar;
        if (round % 2 == 1) {
          baseline = consumerPerformance(round, bootstrap, metricsTopic, records, out);
          sidecar = sidecar(round, bootstrap, metricsTopic, healthTopic, records, w.series(), o.sidecarConfig(), out);
        } else {
          sidecar = sidecar(round, bootstrap, metricsTopic, healthTopic, records, w.series(), o.sidecarConfig(), out);
          baseline = consumerPerformance(round, bootstrap, metricsTopic, records, out);
        }
        runs.add(baseline);
        runs.add(sidecar);
        ratios[round - 1] = sidecar.recordsPerSecond() / baseline.recordsPerSecond();
      }
      if (recording != null) {
        recording.stop();
        recording.close(); // writes the destination
        out.println("JFR recording of the timed rounds: " + o.jfr());
      }
      double median = median(ratios);
      printTable(out, runs, ratios, median);
      return new Report(records, bytesPerRecord, w.series(), runs, ratios, median);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static void createTopics(String bootstrap, String metrics, String health) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(metrics, 3, (short) 1), new NewTopic(health, 3, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (admin.describeTopics(List.of(metrics, health)).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .flatMap(d -> d.partitions().stream()).anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("topics without leaders after 30 s");
        }
        Thread.sleep(50);
      }
    }
  }

  /** Publishes every step of every series, in order per instance; returns mean envelope bytes. */
  private static double produce(String bootstrap, String topic, Workload w, int steps, PrintStream out)
      throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    EnvelopeCodec codec = EnvelopeCodec.create();
    long base = System.currentTimeMillis() - (steps + 1L) * Workload.STEP_MILLIS;
    long bytes = 0;
    long count = 0;
    long[] seq = new long[w.instances()];
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer =
             new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int step = 0; step < steps; step++) {
        for (int i = 0; i < w.instances(); i++) {
          String key = Workload.SERVICE + "/" + Workload.instance(i);
          for (int m = 0; m < w.metrics(); m++) {
            for (int r = 0; r < w.routes(); r++) {
              byte[] value = codec.encode(w.envelope(i, m, r, step, base, ++seq[i]));
              bytes += value.length;
              count++;
              producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
            }
          }
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("producing the workload failed", failure.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "produced %,d envelopes (%.0f bytes each on average, %.1f MB) in %.1f s%n", count,
        (double) bytes / count, bytes / 1e6, seconds);
    return (double) bytes / count;
  }

  /** Kafka's ConsumerPerformance, in this JVM, its CSV line captured. */
  static Run consumerPerformance(int round, String bootstrap, String topic, long records, PrintStream out) {
    String group = "bench-consumer-perf-" + label(round).replace(' ', '-') + "-" + Long.toHexString(System.nanoTime());
    String[] args = {"--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(records),
        "--group", group, "--timeout", "60000", "--hide-header"};
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    Exit.setExitProcedure((code, message) -> {
      throw new IllegalStateException("ConsumerPerformance exited with " + code + ": " + message);
    });
    Map<String, Long> threads0 = OsThreads.enabled() ? OsThreads.snapshot() : Map.of();
    long jit0 = JitWarmUp.compileMillis();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      ConsumerPerformance.main(args);
    } finally {
      System.setOut(original);
      Exit.resetExitProcedure();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    long cpu = processCpuNanos() - cpu0;
    long jit = JitWarmUp.compileMillis() - jit0;
    if (OsThreads.enabled()) {
      OsThreads.print(threads0, OsThreads.snapshot(), cpu);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    String line = output.lines().filter(l -> l.split(",").length == 10).reduce((a, b) -> b)
        .orElseThrow(() -> new IllegalStateException("no result line from ConsumerPerformance: " + output));
    String[] f = Arrays.stream(line.split(",")).map(String::trim).toArray(String[]::new);
    long consumed = Long.parseLong(f[4]);
    if (consumed != records) {
      throw new IllegalStateException("ConsumerPerformance read " + consumed + " records, expected " + records + ": " + output);
    }
    double rate = Double.parseDouble(f[5]);
    double fetchRate = Double.parseDouble(f[9]);
    Run run = new Run(round, "ConsumerPerformance", consumed, consumed / rate, rate, fetchRate, cpu / 1e3 / consumed,
        jit, "rebalance " + f[6] + " ms, fetch " + f[7] + " ms, main() " + String.format(Locale.ROOT, "%.2f s", wall));
    out.printf(Locale.ROOT, "%s ConsumerPerformance: %,.0f records/s (fetch only %,.0f), %.2f CPU-µs/record, JIT %d ms; %s%n",
        label(round), rate, fetchRate, run.cpuMicrosPerRecord(), jit, run.note());
    return run;
  }

  /** A real PrometheusSidecar with a fresh group, from start() to ready. */
  static Run sidecar(int round, String bootstrap, String metricsTopic, String healthTopic, long records, long series,
      Map<String, String> extraConfig, PrintStream out) throws Exception {
    Map<String, String> config = new HashMap<>(extraConfig);
    config.put("bootstrap.servers", bootstrap);
    config.put("group.id", "bench-sidecar-" + label(round).replace(' ', '-') + "-" + Long.toHexString(System.nanoTime()));
    config.put("http.port", "0");
    config.put("metrics.topic", metricsTopic);
    config.put("health.topic", healthTopic);
    config.put("staleness.timeout", "2h");
    PrometheusSidecar sidecar = PrometheusSidecar.create(SidecarConfig.of(PrometheusSidecarKeys.all(), config));
    Map<String, Long> threads0 = OsThreads.enabled() ? OsThreads.snapshot() : Map.of();
    long jit0 = JitWarmUp.compileMillis();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
    String metrics;
    try {
      sidecar.start();
      long started = System.nanoTime();
      while (!sidecar.isReady()) {
        if (System.nanoTime() - deadline > 0 || !sidecar.isAlive()) {
          throw new IllegalStateException("the sidecar did not catch up within 10 minutes (alive: " + sidecar.isAlive() + ")");
        }
        Thread.sleep(2);
      }
      long elapsed = System.nanoTime() - t0;
      long cpu = processCpuNanos() - cpu0;
      long jit = JitWarmUp.compileMillis() - jit0;
      if (OsThreads.enabled()) {
        OsThreads.print(threads0, OsThreads.snapshot(), cpu);
      }
      metrics = scrape(sidecar.baseUrl());
      double consumed = sum(metrics, "tributary_sidecar_records_consumed_total{topic=\"" + metricsTopic + "\"");
      double held = sum(metrics, "tributary_prometheus_series ");
      double failed = sum(metrics, "tributary_sidecar_records_failed_total");
      double ignored = sum(metrics, "tributary_prometheus_samples_ignored_total");
      if (consumed != records || held != series || failed != 0 || ignored != 0) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "sidecar run is not valid: consumed %.0f of %d, series %.0f of %d, failed %.0f, ignored %.0f", consumed,
            records, held, series, failed, ignored));
      }
      double rate = records / (elapsed / 1e9);
      Run run = new Run(round, "sidecar", records, elapsed / 1e9, rate, Double.NaN, cpu / 1e3 / records, jit,
          String.format(Locale.ROOT, "%,.0f series held, 0 failed", held));
      out.printf(Locale.ROOT, "%s sidecar: %,.0f records/s (%.2f s start to ready, start() %.0f ms), %.2f CPU-µs/record, JIT %d ms; %s%n",
          label(round), rate, run.seconds(), (started - t0) / 1e6, run.cpuMicrosPerRecord(), jit, run.note());
      return run;
    } finally {
      sidecar.close();
    }
  }

  /** Timed rounds count from 1; warm-up rounds are passed as -1, -2, ... */
  private static String label(int round) {
    return round > 0 ? "round " + round : "warm-up " + -round;
  }

  private static String scrape(String baseUrl) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + response.statusCode());
    }
    return response.body();
  }

  /** Sum of the samples whose line starts with {@code prefix}. */
  static double sum(String exposition, String prefix) {
    return exposition.lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void printTable(PrintStream out, List<Run> runs, double[] ratios, double median) {
    out.println();
    out.println("| round | ConsumerPerformance records/s (fetch only) | sidecar records/s | sidecar/ConsumerPerformance "
        + "| CPU-µs/record (CP / sidecar) | JIT ms (CP / sidecar) |");
    out.println("|---|---:|---:|---:|---:|---:|");
    for (int i = 0; i < ratios.length; i++) {
      Run cp = runs.get(2 * i);
      Run sc = runs.get(2 * i + 1);
      out.printf(Locale.ROOT, "| %d%s | %,.0f (%,.0f) | %,.0f | %.2f | %.2f / %.2f | %d / %d |%n", i + 1,
          i % 2 == 0 ? " (CP first)" : " (sidecar first)", cp.recordsPerSecond(), cp.fetchRecordsPerSecond(),
          sc.recordsPerSecond(), ratios[i], cp.cpuMicrosPerRecord(), sc.cpuMicrosPerRecord(), cp.jitMillis(),
          sc.jitMillis());
    }
    out.printf(Locale.ROOT, "median sidecar/ConsumerPerformance: %.2f (target ≥ 0.50: %s)%n", median,
        median >= 0.5 ? "met" : "missed");
  }

  /** The sidecar and Kafka log at INFO; a benchmark's output should be its figures. */
  private static void quietLogs() {
    org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
