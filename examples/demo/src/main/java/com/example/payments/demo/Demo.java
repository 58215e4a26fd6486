package com.example.payments.demo;

import com.example.payments.PaymentServiceMain;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBrokerMain;
import dev.tributary.testkit.SearchServer;
import dev.tributary.topics.ProvisioningReport;
import dev.tributary.topics.TopicProvisioner;
import dev.tributary.topics.TopicsFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole pipeline on loopback, each part on free ports: a Kafka broker process with the topics
 * provisioned, Elasticsearch (optional), the Prometheus sidecar and the Elasticsearch sidecar from
 * their fat jars, the payment service, and Prometheus when its binary is installed. {@link #close()}
 * stops everything it started, by PID, in reverse order.
 *
 * <pre>{@code
 * try (Demo demo = Demo.builder().root(Path.of(".")).start()) {
 *   demo.urls().forEach((k, v) -> System.out.println(k + " " + v));
 *   ...
 * }
 * }</pre>
 */
public final class Demo implements AutoCloseable {
  public static final Duration DEFAULT_METRICS_STEP = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(5);
  public static final String DEFAULT_ELASTICSEARCH_VERSION = "8.19.21";
  public static final String PAYMENT_INSTANCE = "payment-1";
  static final String TOPICS_RESOURCE = "/payment-topics.json";
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final String CHILD_HEAP = "-Xmx256m";
  /** The demo's own quiet Logback configuration (a class path resource). */
  static final String DEMO_LOGBACK = "demo-logback.xml";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, String> urls = new LinkedHashMap<>();
  private final Path workDir;
  private final PrintStream out;
  private String kafkaBootstrap;
  private String paymentServiceUrl;
  private String prometheusSidecarUrl;
  private String elasticsearchSidecarUrl;
  private String elasticsearchUrl;
  private String prometheusUrl;
  private List<Path> ruleFiles = List.of();
  private final List<ChildProcess> children = new ArrayList<>();
  private boolean closed;
  private final long startNanos = System.nanoTime();

  private Demo(Path workDir, PrintStream out) {
    this.workDir = workDir;
    this.out = out;
  }

  /** A builder; {@link Builder#root(Path)} (the checkout) tells where the sidecar jars are. */
  public static Builder builder() {
    return new Builder();
  }

  private void start(Builder b) {
    String classpath = childClasspath();
    Path argsFile = workDir.resolve("classpath.args");
    write(argsFile, "-cp\n\"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
    // 1. Kafka, as a process of its own: the test kit's KafkaBrokerMain (what KafkaBrokerProcess and
    //    testkit/bin/kafka-broker.sh run), launched here so that it gets a session of its own too; it
    //    also ends when the demo's JVM dies (standard input closes)
    say("starting Kafka ...");
    ChildProcess kafka = ChildProcess.start("kafka", List.of(java(), "-Xmx384m",
        // the class path has the payment service's logback.xml (root INFO, Tributary appender): not for the broker
        "-Dlogback.configurationFile=" + DEMO_LOGBACK, "@" + argsFile,
        KafkaBrokerMain.class.getName(), "--partitions", "3", "--exit-on-stdin-eof"), Map.of(),
        workDir.resolve("kafka.log"));
    started.push(kafka);
    children.add(kafka);
    kafkaBootstrap = kafka.awaitLine(KafkaBrokerMain.BOOTSTRAP_PREFIX, START_TIMEOUT);
    urls.put("kafka", kafkaBootstrap);
    provisionTopics();

    // 2. Elasticsearch starts in the background (the slowest part); the ES sidecar waits for it anyway
    CompletableFuture<SearchServer> search = null;
    if (b.elasticsearchHome != null) {
      say("starting Elasticsearch (in the background) ...");
      Path home = b.elasticsearchHome;
      search = CompletableFuture.supplyAsync(() -> SearchServer.builder(home)
          .javaHome(SearchServer.findJavaHome(17)).heap("512m").start());
    }
    try {
      // 3. the Prometheus sidecar
      int promSidecarPort = FreePorts.find();
      prometheusSidecarUrl = "http://127.0.0.1:" + promSidecarPort;
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TRIBUTARY_BOOTSTRAP_SERVERS", kafkaBootstrap);
      env.put("TRIBUTARY_HTTP_PORT", Integer.toString(promSidecarPort));
      child("sidecar-prometheus", List.of(java(), CHILD_HEAP, "-jar", b.prometheusSidecarJar.toString()), env,
          prometheusSidecarUrl + "/health");
      urls.put("prometheus-sidecar", prometheusSidecarUrl + "/metrics");

      // 4. the payment service
      int paymentPort = FreePorts.find();
      Map<String, String> paymentEnv = new LinkedHashMap<>();
      paymentEnv.put("TRIBUTARY_INSTANCE_ID", PAYMENT_INSTANCE);
      paymentEnv.put("TRIBUTARY_METRICS_STEP", b.metricsStep.toMillis() + "ms");
      child("payment-service", List.of(java(), CHILD_HEAP, "@" + argsFile, PaymentServiceMain.class.getName(),
          "--bootstrap-servers", kafkaBootstrap, "--port", Integer.toString(paymentPort)), paymentEnv,
          "http://127.0.0.1:" + paymentPort + "/health");
      paymentServiceUrl = "http://127.0.0.1:" + paymentPort;
      urls.put("payment-service", paymentServiceUrl);

      // 5. Elasticsearch and its sidecar
      if (search != null) {
        say("waiting for Elasticsearch ...");
        SearchServer es = join(search);
        search = null;
        started.push(es);
        elasticsearchUrl = es.url();
        urls.put("elasticsearch", elasticsearchUrl);
        int esSidecarPort = FreePorts.find();
        elasticsearchSidecarUrl = "http://127.0.0.1:" + esSidecarPort;
        Map<String, String> esEnv = new LinkedHashMap<>();
        esEnv.put("TRIBUTARY_BOOTSTRAP_SERVERS", kafkaBootstrap);
        esEnv.put("TRIBUTARY_HTTP_PORT", Integer.toString(esSidecarPort));
        esEnv.put("TRIBUTARY_ELASTICSEARCH_URL", elasticsearchUrl);
        child("sidecar-elasticsearch", List.of(java(), CHILD_HEAP, "-jar", b.elasticsearchSidecarJar.toString()),
            esEnv, elasticsearchSidecarUrl + "/health");
        urls.put("elasticsearch-sidecar", elasticsearchSidecarUrl + "/metrics");
      }

      // 6. Prometheus, when installed
      if (b.prometheusBinary != null) {
        startPrometheus(b);
      }
    } catch (RuntimeException e) {
      if (search != null) {
        search.thenAccept(SearchServer::close);
      }
      throw e;
    }
  }

  private void provisionTopics() {
    try (InputStream in = Demo.class.getResourceAsStream(TOPICS_RESOURCE);
        TopicProvisioner provisioner = TopicProvisioner.connect(Map.of("bootstrap.servers", kafkaBootstrap),
            Duration.ofSeconds(30))) {
      ProvisioningReport report = provisioner.apply(TopicsFile.parse(Objects.requireNonNull(in, TOPICS_RESOURCE)));
      say("topics created: " + String.join(", ", report.created()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TOPICS_RESOURCE, e);
    }
  }

  private void startPrometheus(Builder b) {
    int port = FreePorts.find();
    Path dir = workDir.resolve("prometheus");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ruleFiles = b.rulesDir == null ? List.of() : ruleFiles(b.rulesDir);
    Path config = dir.resolve("prometheus.yml");
    write(config, prometheusConfig(b.scrapeInterval, prometheusSidecarUrl, elasticsearchSidecarUrl, ruleFiles));
    String url = "http://127.0.0.1:" + port;
    List<String> command = List.of(b.prometheusBinary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle");
    try {
      child("prometheus", command, Map.of(), url + "/-/ready");
    } catch (IllegalStateException e) {
      if (ruleFiles.isEmpty()) {
        throw e;
      }
      // a rule file Prometheus refuses must not cost the whole demo: start without the rules
      say("Prometheus refused the alert rules, starting it without them: " + e.getMessage().lines().findFirst().orElse(""));
      ruleFiles = List.of();
      write(config, prometheusConfig(b.scrapeInterval, prometheusSidecarUrl, elasticsearchSidecarUrl, ruleFiles));
      child("prometheus", command, Map.of(), url + "/-/ready");
    }
    prometheusUrl = url;
    urls.put("prometheus", prometheusUrl);
  }

  /** The alert rule files of docs/operations/alerts, except kafka* ones (a separate exporter feeds them). */
  static List<Path> ruleFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".rules.yml"))
          .filter(p -> !p.getFileName().toString().startsWith("kafka"))
          .map(Path::toAbsolutePath).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated Prometheus configuration: both sidecars, honor_labels on the Prometheus sidecar. */
  static String prometheusConfig(Duration scrapeInterval, String promSidecarUrl, String esSidecarUrl, List<Path> rules) {
    String interval = scrapeInterval.toMillis() + "ms";
    StringBuilder y = new StringBuilder();
    y.append("# generated by the Tributary demo\n");
    y.append("global:\n  scrape_interval: ").append(interval).append("\n  evaluation_interval: ").append(interval).append('\n');
    if (!rules.isEmpty()) {
      y.append("rule_files:\n");
      for (Path r : rules) {
        y.append("  - '").append(r.toString().replace("'", "''")).append("'\n");
      }
    }
    y.append("scrape_configs:\n");
    y.append("  # the applications' series carry their own service and instance labels: keep them\n");
    y.append("  - job_name: tributary-prometheus-sidecar\n    honor_labels: true\n    static_configs:\n");
    y.append("      - targets: ['").append(hostPort(promSidecarUrl)).append("']\n");
    if (esSidecarUrl != null) {
      y.append("  - job_name: tributary-elasticsearch-sidecar\n    static_configs:\n");
      y.append("      - targets: ['").append(hostPort(esSidecarUrl)).append("']\n");
    }
    return y.toString();
  }

  private static String hostPort(String url) {
    return url.substring(url.indexOf("://") + 3);
  }

  private void child(String name, List<String> command, Map<String, String> env, String readyUrl) {
    say("starting " + name + " ...");
    ChildProcess child = ChildProcess.start(name, command, env, workDir.resolve(name + ".log"));
    started.push(child);
    children.add(child);
    child.awaitReady(readyUrl, START_TIMEOUT);
  }

  private static SearchServer join(CompletableFuture<SearchServer> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * The class path for the payment service and the broker: this JVM's, without test output
   * directories (whose logback-test.xml would replace the service's logback.xml).
   */
  static String childClasspath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes") && !e.endsWith("test-classes/"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String java() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void say(String line) {
    if (out != null) {
      out.printf("demo: %s (+%.1f s)%n", line, (System.nanoTime() - startNanos) / 1e9);
    }
  }

  /** What runs where: kafka, payment-service, prometheus-sidecar, elasticsearch, elasticsearch-sidecar, prometheus. */
  public Map<String, String> urls() {
    return Map.copyOf(urls);
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public String paymentServiceUrl() {
    return paymentServiceUrl;
  }

  /** Base URL of the Prometheus sidecar ({@code /metrics}, {@code /health}). */
  public String prometheusSidecarUrl() {
    return prometheusSidecarUrl;
  }

  public Optional<String> elasticsearchSidecarUrl() {
    return Optional.ofNullable(elasticsearchSidecarUrl);
  }

  public Optional<String> elasticsearchUrl() {
    return Optional.ofNullable(elasticsearchUrl);
  }

  public Optional<String> prometheusUrl() {
    return Optional.ofNullable(prometheusUrl);
  }

  /** The alert rule files Prometheus loaded (empty without Prometheus or rules). */
  public List<Path> ruleFiles() {
    return ruleFiles;
  }

  /** Where the components' logs and Prometheus' data are. */
  public Path workDir() {
    return workDir;
  }

  /** The children that have exited although the demo did not stop them (names). */
  public List<String> deadChildren() {
    return children.stream().filter(c -> !c.isAlive()).map(ChildProcess::toString).toList();
  }

  /** Stops everything that was started, in reverse order, each by its PID. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      say("stopping " + c);
      try {
        c.close();
      } catch (Exception e) {
        say("stopping " + c + " failed: " + e);
      }
    }
  }

  /** Configures and starts a {@link Demo}. */
  public static final class Builder {
    private Path prometheusSidecarJar;
    private Path elasticsearchSidecarJar;
    private Path elasticsearchHome;
    private String prometheusBinary = findOnPath("prometheus");
    private Path rulesDir;
    private Path workDir;
    private Duration metricsStep = DEFAULT_METRICS_STEP;
    private Duration scrapeInterval = DEFAULT_SCRAPE_INTERVAL;
    private PrintStream out = System.out;

    private Builder() {}

    /**
     * The Tributary checkout: sets the sidecar jars ({@code sidecar-*&#47;target/*.jar}), the
     * Elasticsearch distribution unpacked by the demo module's build, and the alert rules of
     * {@code docs/operations/alerts}.
     */
    public Builder root(Path root) {
      Path r = root.toAbsolutePath().normalize();
      prometheusSidecarJar = r.resolve("sidecar-prometheus/target/tributary-sidecar-prometheus.jar");
      elasticsearchSidecarJar = r.resolve("sidecar-elasticsearch/target/tributary-sidecar-elasticsearch.jar");
      elasticsearchHome = r.resolve("examples/demo/target/search-dists/elasticsearch-" + DEFAULT_ELASTICSEARCH_VERSION);
      rulesDir = r.resolve("docs/operations/alerts");
      return this;
    }

    public Builder prometheusSidecarJar(Path jar) {
      this.prometheusSidecarJar = jar;
      return this;
    }

    public Builder elasticsearchSidecarJar(Path jar) {
      this.elasticsearchSidecarJar = jar;
      return this;
    }

    /** An unpacked Elasticsearch (or OpenSearch) integ-test distribution; {@code null} runs without it. */
    public Builder elasticsearchHome(Path home) {
      this.elasticsearchHome = home;
      return this;
    }

    /** The {@code prometheus} binary; default the one on the PATH; {@code null} runs without it. */
    public Builder prometheusBinary(String binary) {
      this.prometheusBinary = binary;
      return this;
    }

    /** Alert rule files for Prometheus ({@code *.rules.yml}, kafka* skipped); {@code null} for none. */
    public Builder rulesDir(Path dir) {
      this.rulesDir = dir;
      return this;
    }

    /** Where logs and data go; default a new temporary directory. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** The payment service's metrics step; default 5 s. */
    public Builder metricsStep(Duration step) {
      this.metricsStep = requirePositive(step, "metricsStep");
      return this;
    }

    /** Prometheus' scrape and evaluation interval; default 5 s. */
    public Builder scrapeInterval(Duration interval) {
      this.scrapeInterval = requirePositive(interval, "scrapeInterval");
      return this;
    }

    /** Where progress lines go; {@code null} for none. Default standard output. */
    public Builder out(PrintStream out) {
      this.out = out;
      return this;
    }

    /**
     * Starts everything; on a failure, stops what was started and throws.
     *
     * @throws IllegalStateException if a part does not start (the message has the end of its log)
     */
    public Demo start() {
      requireFile(prometheusSidecarJar, "the Prometheus sidecar jar");
      if (elasticsearchHome != null) {
        requireFile(elasticsearchSidecarJar, "the Elasticsearch sidecar jar");
        if (!Files.isDirectory(elasticsearchHome)) {
          throw new IllegalStateException("no Elasticsearch distribution at " + elasticsearchHome
              + " (build the demo module, or run without Elasticsearch)");
        }
      }
      Path dir;
      try {
        dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tributary-demo-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the demo's directory", e);
      }
      Demo demo = new Demo(dir, out);
      try {
        demo.start(this);
      } catch (RuntimeException e) {
        demo.close();
        throw e;
      }
      return demo;
    }

    private static void requireFile(Path file, String what) {
      if (file == null || !Files.isRegularFile(file)) {
        throw new IllegalStateException(what + " is missing: " + file + " (build it with mvn -B package -DskipTests)");
      }
    }

    private static Duration requirePositive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }

    static String findOnPath(String binary) {
      String path = System.getenv("PATH");
      if (path == null) {
        return null;
      }
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, binary);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
      return null;
    }
  }
}
