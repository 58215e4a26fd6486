package dev.tributary.sidecar.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.Tributary;
import dev.tributary.sidecar.SidecarConfig;
import dev.tributary.testkit.KafkaBroker;
import dev.tributary.testkit.SearchServer;
import dev.tributary.wire.EnvelopeCodec;
import dev.tributary.wire.LogEnvelope;
import dev.tributary.wire.Source;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the sidecar against a plain single-threaded bulk loader writing the same documents
 * (same bytes, same ids, same bulk size, same templates) to the same Elasticsearch in the same run,
 * alternating, and end-to-end latency from {@code sendLog} to searchable. Not part of the normal
 * test run:
 *
 * <pre>mvn -B -pl sidecar-elasticsearch test -Dtest=SidecarBenchmark -Dtributary.bench=true</pre>
 *
 * or, from a frozen copy of the classpath (other builds on a shared machine cannot swap jars under
 * it), through {@link #main(String[])}; see {@code docs/benchmarks.md}. Results go to stdout and
 * {@code target/benchmark-elasticsearch.txt}.
 */
@EnabledIfSystemProperty(named = "tributary.bench", matches = "true")
class SidecarBenchmark {
  static final int DOCS = Integer.getInteger("tributary.bench.docs", 300_000);
  static final int ROUNDS = Integer.getInteger("tributary.bench.rounds", 3);
  static final int BULK = 2000;
  static final Duration LATENCY_RUN = Duration.ofSeconds(Integer.getInteger("tributary.bench.latency.seconds", 30));

  private final StringBuilder report = new StringBuilder();
  private String lastCpu = "";

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU of the sidecar's own threads: consume, bulk, HTTP client. */
  static long sidecarThreadsCpuNanos() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && (t.getThreadName().startsWith("tributary-elasticsearch-") || t.getThreadName().startsWith("tributary-es-http-"))) {
        total += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
      }
    }
    return total;
  }

  @Test
  void throughputAgainstAPlainBulkLoaderAndLatencyToSearchable() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start();
        SearchServer server = Distribution.ELASTICSEARCH_8.start()) {
      SearchClient search = new SearchClient(server.url());
      IndexNaming naming = new IndexNaming("logs-", "events-", "yyyy.MM.dd", false, "default");
      try (SearchTransport transport = new SearchTransport(List.of(URI.create(server.url())), null, null,
          Duration.ofSeconds(5), Duration.ofSeconds(60))) {
        new Templates(naming, 200, 0, 2000).install(transport);
      }
      line("server: %s, documents per phase: %d, bulk: %d, rounds: %d, cores: %d", server, DOCS, BULK,
          ROUNDS, Runtime.getRuntime().availableProcessors());

      // Warm-up of both contenders (JIT in the server and here), not reported.
      plainLoader(server, server.url(), naming, documents("bench-0"), "bench-warmup", "bench-1:run-bench-0", search);
      throughSidecar(broker, server, documents("bench-0"), 0, search);

      List<Double> plainRates = new ArrayList<>();
      List<Double> sidecarRates = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        List<byte[]> docs = documents("bench-" + round);
        double plain;
        double sidecar;
        String plainCpu;
        String sidecarCpu;
        if (round % 2 == 1) { // alternate the order, so drift does not favour one side
          plain = plainLoader(server, server.url(), naming, docs, "bench-plain-" + round, "bench-1:run-bench-" + round, search);
          plainCpu = lastCpu;
          sidecar = throughSidecar(broker, server, docs, round, search);
          sidecarCpu = lastCpu;
        } else {
          sidecar = throughSidecar(broker, server, docs, round, search);
          sidecarCpu = lastCpu;
          plain = plainLoader(server, server.url(), naming, docs, "bench-plain-" + round, "bench-1:run-bench-" + round, search);
          plainCpu = lastCpu;
        }
        plainRates.add(plain);
        sidecarRates.add(sidecar);
        ratios.add(sidecar / plain);
        line("round %d: plain loader %.0f docs/s, sidecar %.0f docs/s, ratio %.1f%%", round, plain, sidecar,
            100 * sidecar / plain);
        line("  cpu plain phase: %s", plainCpu);
        line("  cpu sidecar phase: %s", sidecarCpu);
      }
      line("median: plain loader %.0f docs/s, sidecar %.0f docs/s, median ratio %.1f%%", median(plainRates),
          median(sidecarRates), 100 * median(ratios));

      latency(broker, server, search);
    }
    Path out = Path.of("target", "benchmark-elasticsearch.txt");
    Files.writeString(out, report.toString());
  }

  /** Runs the benchmark outside JUnit (with {@code -Dtributary.search.dists.dir=...}). */
  public static void main(String[] args) throws Exception {
    new SidecarBenchmark().throughputAgainstAPlainBulkLoaderAndLatencyToSearchable();
    System.exit(0);
  }

  /** The same documents for both contenders: log envelopes of ~450 bytes with labels and fields. */
  static List<byte[]> documents(String service) {
    Source source = new Source(service, "bench-1", "1.0.0", "bench", "run-" + service);
    long t = System.currentTimeMillis();
    List<byte[]> docs = new ArrayList<>(DOCS);
    for (int i = 0; i < DOCS; i++) {
      docs.add(EnvelopeCodec.create().encode(new LogEnvelope(t + i, source, "logs", i + 1L, i % 10 == 0 ? "WARN" : "INFO",
          "com.example.checkout.CartService", "http-nio-8080-exec-" + (i % 8),
          "cart " + i + " checked out with " + (i % 7) + " items for customer c-" + (i * 31 % 10_007),
          Map.of("region", "eu-west-1", "tenant", "t-" + (i % 13)), Map.of("cart_id", i, "total", i % 500 + 0.99),
          List.of(), null, null, "corr-" + i, null, null)));
    }
    return docs;
  }

  /** A minimal single-threaded bulk loader: build NDJSON, POST, check errors=false. */
  double plainLoader(SearchServer server, String url, IndexNaming naming, List<byte[]> docs, String service, String idPrefix,
      SearchClient search)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String index = naming.logs(service, System.currentTimeMillis());
    Duration es0 = server.cpu();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    for (int from = 0; from < docs.size(); from += BULK) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(BULK * 600);
      for (int i = from; i < Math.min(from + BULK, docs.size()); i++) {
        body.write(("{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + idPrefix + ":logs:" + (i + 1) + "\"}}\n")
            .getBytes(StandardCharsets.UTF_8));
        body.write(docs.get(i));
        body.write('\n');
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/_bulk?filter_path=errors"))
          .header("content-type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || !r.body().contains("\"errors\":false")) {
        throw new IllegalStateException("plain bulk failed: " + r.statusCode() + " " + r.body());
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    lastCpu = String.format(java.util.Locale.ROOT, "ES %.1f µs/doc, loader JVM %.1f µs/doc",
        (server.cpu().minus(es0).toNanos() / 1e3) / docs.size(), ((processCpuNanos() - cpu0) / 1e3) / docs.size());
    if (search.count(index) != docs.size()) {
      throw new IllegalStateException("plain loader indexed " + search.count(index));
    }
    return docs.size() / seconds;
  }

  /**
   * Produces the documents to Kafka first (not timed), then starts the sidecar and measures from
   * its first acknowledged bulk to its last: group join and template installation are excluded,
   * as the loader's connection set-up is.
   */
  double throughSidecar(KafkaBroker broker, SearchServer server, List<byte[]> docs, int round, SearchClient search)
      throws Exception {
    String topic = "bench" + round + "-logs.events";
    broker.createTopic(topic, 3);
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", broker.bootstrapServers());
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("compression.type", "lz4");
    props.put("linger.ms", 10);
    props.put("batch.size", 65536);
    java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (byte[] d : docs) {
        producer.send(new ProducerRecord<>(topic, d), (m, e) -> {
          if (e == null) {
            acked.incrementAndGet();
          }
        });
      }
      producer.flush();
    }
    int expected = acked.get(); // the broker has refused records under load before (OutOfOrderSequence)
    if (expected != docs.size()) {
      line("  note: the broker acknowledged %d of %d records in round %d; the sidecar is timed on those", expected,
          docs.size(), round);
    }
    Map<String, String> c = new LinkedHashMap<>();
    c.put("bootstrap.servers", broker.bootstrapServers());
    c.put("elasticsearch.url", server.url());
    c.put("group.id", "bench-" + round);
    c.put("http.port", "0");
    c.put("topics.pattern", Pattern.quote(topic));
    c.put("elasticsearch.index.replicas", "0");
    try (ElasticsearchSidecar sidecar = ElasticsearchSidecar.start(SidecarConfig.of(ElasticsearchSettings.keys(), c))) {
      double first = 0;
      long tFirst = 0;
      Duration es0 = Duration.ZERO;
      long cpu0 = 0;
      long threads0 = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (System.nanoTime() < deadline) {
        // In-process, like the loader's own bookkeeping: polling /metrics over HTTP every few
        // milliseconds would charge the harness's HTTP work to the sidecar's phase.
        double n = sidecar.documentsIndexed();
        long now = System.nanoTime();
        if (tFirst == 0 && n > 0) {
          tFirst = now;
          first = n;
          es0 = server.cpu();
          cpu0 = processCpuNanos();
          threads0 = sidecarThreadsCpuNanos();
        }
        if (n >= expected) {
          double rate = (n - first) / ((now - tFirst) / 1e9);
          double counted = n - first;
          lastCpu = String.format(java.util.Locale.ROOT,
              "ES %.1f µs/doc, JVM with broker and sidecar %.1f µs/doc, of which sidecar threads %.1f µs/doc",
              (server.cpu().minus(es0).toNanos() / 1e3) / counted, ((processCpuNanos() - cpu0) / 1e3) / counted,
              ((sidecarThreadsCpuNanos() - threads0) / 1e3) / counted);
          if (search.count("logs-bench-" + round + "-*") != expected) {
            throw new IllegalStateException("sidecar indexed " + search.count("logs-bench-" + round + "-*"));
          }
          return rate;
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException("sidecar did not finish within 5 minutes");
    }
  }

  /** sendLog → searchable: a steady 50 logs/s; a poller records when each becomes visible to _search. */
  void latency(KafkaBroker broker, SearchServer server, SearchClient search) throws Exception {
    String topic = "latency-logs.events";
    broker.createTopic(topic, 3);
    Map<String, String> c = new LinkedHashMap<>();
    c.put("bootstrap.servers", broker.bootstrapServers());
    c.put("elasticsearch.url", server.url());
    c.put("group.id", "bench-latency");
    c.put("http.port", "0");
    c.put("topics.pattern", Pattern.quote(topic));
    c.put("elasticsearch.index.replicas", "0");
    Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    Map<Integer, Long> seenAt = new ConcurrentHashMap<>();
    try (ElasticsearchSidecar sidecar = ElasticsearchSidecar.start(SidecarConfig.of(ElasticsearchSettings.keys(), c));
        Tributary client = Tributary.builder().bootstrapServers(broker.bootstrapServers()).serviceName("latency")
            .instanceId("l-1").logsTopic(topic).metricsTopic("latency-metrics.events")
            .healthTopic("latency-health.events").build()) {
      // Warm up: the first document creates the index and waits for the group to form.
      client.sendLog(LogEntry.builder(LogLevel.INFO, "warm-up").field("probe", -1).build());
      while (search.count("logs-latency-*") < 1) {
        Thread.sleep(100);
      }
      Thread poller = new Thread(() -> poll(search, seenAt), "latency-poller");
      poller.setDaemon(true);
      poller.start();
      int total = (int) (LATENCY_RUN.toMillis() / 20);
      for (int i = 0; i < total; i++) {
        sentAt.put(i, System.nanoTime());
        client.sendLog(LogEntry.builder(LogLevel.INFO, "latency probe " + i).field("probe", i).build());
        Thread.sleep(20);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seenAt.size() < total && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      poller.interrupt();
      poller.join(5000);
      long[] ms = new long[seenAt.size()];
      int k = 0;
      for (Map.Entry<Integer, Long> e : seenAt.entrySet()) {
        ms[k++] = (e.getValue() - sentAt.get(e.getKey())) / 1_000_000;
      }
      Arrays.sort(ms);
      line("latency sendLog -> searchable (%d logs at 50/s, refresh_interval 1s, poll every 20 ms): p50 %d ms, p99 %d ms, max %d ms",
          ms.length, ms[ms.length / 2], ms[(int) Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)], ms[ms.length - 1]);
      if (seenAt.size() < total) {
        line("WARNING: only %d of %d probes became searchable", seenAt.size(), total);
      }
    }
  }

  private static void poll(SearchClient search, Map<Integer, Long> seenAt) {
    int low = 0; // every probe below this one has been seen
    while (!Thread.currentThread().isInterrupted()) {
      try {
        while (seenAt.containsKey(low)) {
          low++;
        }
        JsonNode r = search.request("GET", "/logs-latency-*/_search?size=500",
            "{\"_source\":[\"fields.probe\"],\"query\":{\"range\":{\"fields.probe\":{\"gte\":" + low + "}}},"
                + "\"sort\":[{\"fields.probe\":\"asc\"}]}");
        long now = System.nanoTime();
        for (JsonNode hit : r.path("hits").path("hits")) {
          seenAt.putIfAbsent(hit.path("_source").path("fields").path("probe").asInt(), now);
        }
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // keep polling
      }
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private void line(String format, Object... args) {
    String s = String.format(java.util.Locale.ROOT, format, args);
    System.out.println("[bench] " + s);
    report.append(s).append('\n');
  }
}
