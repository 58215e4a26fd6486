package dev.tributary.sidecar.elasticsearch;

import dev.tributary.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Elasticsearch or OpenSearch node for tests, started from the Maven Central integ-test
 * distribution that the build unpacks into {@code target/search-dists} (see the module's pom).
 *
 * <p>The node listens on 127.0.0.1 with free HTTP and transport ports, keeps its config copy, data,
 * logs and temp files in a fresh directory under {@code /tmp}, and uses a 512 MB heap.
 * Elasticsearch refuses to run as root; when the test JVM is root (CI), the node runs as the system
 * user {@value #SERVICE_USER} that {@code .ci/setup} creates, through {@code setpriv}. {@link #stop()}
 * signals the whole process tree (the launcher, the CLI and the server JVM) and waits a bounded time,
 * then kills what is left; {@link #start()} again reuses the ports and the data, so a test can take
 * the server away and bring it back.
 */
final class SearchServer implements AutoCloseable {
  static final String SERVICE_USER = "tributary-search";
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  static final String HEAP = "-Xms512m -Xmx512m";

  /** The distributions the tests run against. */
  enum Distribution {
    ELASTICSEARCH_8("elasticsearch", "tributary.elasticsearch8.version", "8.19.21", 17),
    ELASTICSEARCH_9("elasticsearch", "tributary.elasticsearch9.version", "9.5.3", 21),
    OPENSEARCH_2("opensearch", "tributary.opensearch2.version", "2.19.6", 17);

    final String product;
    final String version;
    final int minimumJava;

    Distribution(String product, String versionProperty, String defaultVersion, int minimumJava) {
      this.product = product;
      this.version = System.getProperty(versionProperty, defaultVersion);
      this.minimumJava = minimumJava;
    }

    boolean isOpenSearch() {
      return product.equals("opensearch");
    }

    Path home() {
      Path dists = Path.of(System.getProperty("tributary.search.dists.dir", "target/search-dists"));
      return dists.resolve(product + "-" + version);
    }

    @Override
    public String toString() {
      return product + "-" + version;
    }
  }

  private final Distribution distribution;
  private final Path workDir;
  private final int httpPort;
  private final int transportPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private final Thread stopOnExit = new Thread(this::stop, "search-server-stop");

  private SearchServer(Distribution distribution, Path workDir, int httpPort, int transportPort) {
    this.distribution = distribution;
    this.workDir = workDir;
    this.httpPort = httpPort;
    this.transportPort = transportPort;
  }

  /** Prepares a node of {@code distribution} and starts it; returns once it is ready. */
  static SearchServer start(Distribution distribution) {
    Path home = distribution.home();
    if (!Files.isDirectory(home.resolve("bin"))) {
      throw new IllegalStateException(distribution + " is not unpacked at " + home.toAbsolutePath()
          + "; run the build through generate-test-resources (mvn -pl sidecar-elasticsearch test)");
    }
    Path work;
    try {
      work = Files.createTempDirectory(Path.of("/tmp"), "tributary-" + distribution + "-");
      copyTree(home.resolve("config"), work.resolve("config"));
      rewriteJvmOptions(work);
      for (String dir : List.of("data", "logs", "tmp")) {
        Files.createDirectories(work.resolve(dir));
      }
      if (runningAsRoot()) {
        makeReadable(home);
        chownTree(work, SERVICE_USER);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a work directory for " + distribution, e);
    }
    SearchServer server = new SearchServer(distribution, work, FreePorts.find(), FreePorts.find());
    // A test JVM that is killed or exits without close() must not leave a node behind.
    Runtime.getRuntime().addShutdownHook(server.stopOnExit);
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Starts the node (again), with the same ports and data; returns once it is ready. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(distribution + " is already running");
    }
    Distribution d = distribution;
    List<String> command = new ArrayList<>();
    if (runningAsRoot()) {
      command.addAll(List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER, "--init-groups", "--"));
    }
    command.add(d.home().toAbsolutePath().resolve("bin").resolve(d.product).toString());
    for (String setting : settings()) {
      command.add("-E");
      command.add(setting);
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
    Map<String, String> env = builder.environment();
    String prefix = d.isOpenSearch() ? "OPENSEARCH_" : "ES_";
    env.put(prefix + "JAVA_HOME", javaHome(d.minimumJava).toString());
    env.put(prefix + "PATH_CONF", workDir.resolve("config").toString());
    env.put(prefix + "TMPDIR", workDir.resolve("tmp").toString());
    env.put(prefix + "JAVA_OPTS", HEAP);
    env.put("HOME", workDir.toString());
    env.remove("JAVA_HOME");
    env.remove("JAVA_TOOL_OPTIONS");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + d + ": " + command, e);
    }
    awaitReady();
  }

  private List<String> settings() {
    List<String> s = new ArrayList<>(List.of(
        "discovery.type=single-node",
        "http.host=127.0.0.1",
        "http.port=" + httpPort,
        "transport.host=127.0.0.1",
        "transport.port=" + transportPort,
        "path.data=" + workDir.resolve("data"),
        "path.logs=" + workDir.resolve("logs"),
        // Others share this disk; a filling disk must not turn indices read-only mid-test.
        "cluster.routing.allocation.disk.threshold_enabled=false"));
    if (!distribution.isOpenSearch()) {
      s.add("xpack.security.enabled=false");
    } else if (Files.isDirectory(distribution.home().resolve("plugins/opensearch-security"))) {
      s.add("plugins.security.disabled=true");
    }
    return s;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    URI health = URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s");
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(distribution + " exited with " + process.exitValue()
            + " before it was ready; log tail:\n" + logTail(40));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + distribution, e);
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException(distribution + " was not ready within " + STARTUP_TIMEOUT
            + "; log tail:\n" + logTail(40));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + distribution, e);
      }
    }
  }

  /**
   * Stops the node: SIGTERM to every process of its tree (so the server JVM shuts down cleanly
   * even when the launcher does not forward signals), then SIGKILL to what is left after
   * {@link #STOP_TIMEOUT}. Idempotent.
   */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      try {
        p.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // still alive: killed below
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** CPU time used so far by the node's processes (launcher, CLI, server JVM). */
  synchronized Duration cpu() {
    if (process == null) {
      return Duration.ZERO;
    }
    Duration total = process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    for (ProcessHandle p : process.descendants().toList()) {
      total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return total;
  }

  boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** {@code http://127.0.0.1:<port>}. */
  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  Distribution distribution() {
    return distribution;
  }

  Path consoleLog() {
    return workDir.resolve("console.log");
  }

  /** The last {@code lines} lines of the node's console output. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(consoleLog(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the node and deletes its directory. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is under /tmp
    }
  }

  @Override
  public String toString() {
    return distribution + " at " + url();
  }

  // --- preparation -----------------------------------------------------------------------------

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * A JDK for the server: the test JVM's own if it is new enough, else {@code tributary.jdk21.home}
   * or {@code JAVA21_HOME}, else the newest JDK under {@code /usr/lib/jvm} that is new enough.
   */
  static Path javaHome(int minimum) {
    if (Runtime.version().feature() >= minimum) {
      return Path.of(System.getProperty("java.home"));
    }
    for (String explicit : new String[] {System.getProperty("tributary.jdk21.home"), System.getenv("JAVA21_HOME")}) {
      if (explicit != null && !explicit.isBlank()) {
        return Path.of(explicit);
      }
    }
    Path best = null;
    int bestVersion = 0;
    try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
      for (Path jdk : jdks.toList()) {
        int v = releaseVersion(jdk);
        if (v >= minimum && v > bestVersion && Files.isExecutable(jdk.resolve("bin/java"))) {
          best = jdk;
          bestVersion = v;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    if (best == null) {
      throw new IllegalStateException("no JDK " + minimum + "+ found: set -Dtributary.jdk21.home or JAVA21_HOME");
    }
    return best;
  }

  private static int releaseVersion(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String major = v.startsWith("1.") ? v.substring(2) : v;
          int end = 0;
          while (end < major.length() && Character.isDigit(major.charAt(end))) {
            end++;
          }
          return end == 0 ? 0 : Integer.parseInt(major.substring(0, end));
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** GC logs and heap dumps default to paths relative to the distribution, which the user cannot write. */
  private static void rewriteJvmOptions(Path work) throws IOException {
    Path options = work.resolve("config/jvm.options");
    if (Files.exists(options)) {
      String text = Files.readString(options, StandardCharsets.UTF_8)
          .replace("=logs/", "=" + work.resolve("logs") + "/")
          .replace("HeapDumpPath=data", "HeapDumpPath=" + work.resolve("data"));
      Files.writeString(options, text, StandardCharsets.UTF_8);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void chownTree(Path root, String user) throws IOException {
    UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal owner;
    GroupPrincipal group;
    try {
      owner = lookup.lookupPrincipalByName(user);
      group = lookup.lookupPrincipalByGroupName(user);
    } catch (IOException e) {
      throw new IOException("the system user '" + user + "' does not exist: run .ci/setup as root first", e);
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(owner);
        view.setGroup(group);
      }
    }
  }

  /**
   * The unpacked distribution belongs to root; its config files are mode 660 in the zip, and the
   * user must read everything and execute the scripts. Done once per distribution (marker file).
   */
  private static synchronized void makeReadable(Path home) throws IOException {
    Path marker = home.resolve(".tributary-readable");
    if (Files.exists(marker)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(home)) {
      for (Path p : paths.toList()) {
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
        perms.add(PosixFilePermission.OTHERS_READ);
        perms.add(PosixFilePermission.GROUP_READ);
        if (p.getParent() != null && p.getParent().getFileName().toString().equals("bin")) {
          perms.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
          perms.add(PosixFilePermission.OTHERS_EXECUTE);
          perms.add(PosixFilePermission.GROUP_EXECUTE);
        }
        Files.setPosixFilePermissions(p, perms);
      }
    }
    Files.createFile(marker);
  }
}
