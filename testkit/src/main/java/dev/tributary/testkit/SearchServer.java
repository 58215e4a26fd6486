package dev.tributary.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A real single-node Elasticsearch or OpenSearch server for tests, started as a child process from
 * an unpacked distribution (the {@code integ-test-zip} distributions on Maven Central work; see
 * {@code docs/testkit.md} for the pom that unpacks one). No Docker needed.
 *
 * <pre>{@code
 * Path home = Path.of("target/search-dists/elasticsearch-8.19.21");
 * try (SearchServer es = SearchServer.builder(home)
 *         .javaHome(SearchServer.findJavaHome(17))
 *         .start()) {
 *     // ... point the code under test at es.url() ...
 * }
 * }</pre>
 *
 * <p>The server listens on {@code 127.0.0.1} with free HTTP and transport ports, and keeps a copy of
 * the distribution's {@code config} directory, its data, logs and temporary files in a fresh
 * directory under {@code /tmp}, so one unpacked distribution serves any number of servers, side by
 * side or one after another. Security is off unless the builder turns it on; the heap is
 * {@value #DEFAULT_HEAP}.
 *
 * <p>The Elasticsearch integ-test distributions lack the {@code analysis-common} module, which the
 * {@code .security} index needs; into such a distribution the kit installs, once, a plugin with the
 * four analysis components that index uses
 * ({@link dev.tributary.testkit.elasticsearch.AnalysisCommonSubset}), so that API keys and native
 * users work when a test turns security on.
 *
 * <p>Elasticsearch refuses to run as root. When this JVM runs as root (CI), the server runs as the
 * system user {@value #DEFAULT_SERVICE_USER} (or {@link Builder#serviceUser}) through
 * {@code setpriv}; the user must exist ({@code .ci/setup} creates it), and the unpacked distribution
 * is made world-readable once.
 *
 * <p>Lifecycle: {@link Builder#start()} returns once the cluster health is at least yellow.
 * {@link #stop()} takes the whole process tree down (the launcher, the CLI JVM and the server JVM),
 * bounded by {@link #STOP_TIMEOUT}, and keeps the data; {@link #restart()} starts it again on the
 * same ports with the same data (for outage tests). {@link #close()} stops it and deletes its
 * directory; a JVM that exits without {@code close()} still stops the server and deletes its
 * directory (shutdown hook).
 * Lifecycle methods are thread-safe and run one at a time.
 */
public final class SearchServer implements AutoCloseable {

    /** The system user the server runs as when this JVM runs as root. */
    public static final String DEFAULT_SERVICE_USER = "tributary-search";

    /** The server's heap ({@code -Xms} and {@code -Xmx}) unless {@link Builder#heap} says otherwise. */
    public static final String DEFAULT_HEAP = "512m";

    /** How long {@link Builder#start()} and {@link #restart()} wait for a ready cluster by default. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(180);

    /** How long {@link #stop()} waits for the processes to exit after SIGTERM before it kills them. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** How long a command-line tool of the distribution (adding a user) may take. */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    /** Attempts to start when another process took one of the ports the kit picked. */
    private static final int START_ATTEMPTS = 3;

    /** How often readiness is polled. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    /** Lines of the console log quoted in a failure message. */
    private static final int LOG_TAIL_LINES = 40;

    /** The name {@link dev.tributary.testkit.elasticsearch.AnalysisCommonSubset} is installed under. */
    private static final String ANALYSIS_PLUGIN = "tributary-analysis-common-subset";

    /**
     * The plugin's class, by name: it extends Elasticsearch's {@code Plugin}, which this JVM need not
     * have, so it is never loaded here (not even by a class literal), only read as bytes.
     */
    private static final String ANALYSIS_PLUGIN_CLASS = "dev.tributary.testkit.elasticsearch.AnalysisCommonSubset";

    private static final Pattern SERVER_JAR = Pattern.compile("(elasticsearch|opensearch)-(\\d+\\.\\d+\\.\\d+)(-SNAPSHOT)?\\.jar");

    /** Which server a distribution holds. */
    public enum Product {
        /** Elasticsearch: {@code bin/elasticsearch}, {@code ES_*} environment variables. */
        ELASTICSEARCH("elasticsearch", "ES_"),
        /** OpenSearch: {@code bin/opensearch}, {@code OPENSEARCH_*} environment variables. */
        OPENSEARCH("opensearch", "OPENSEARCH_");

        private final String command;
        private final String envPrefix;

        Product(String command, String envPrefix) {
            this.command = command;
            this.envPrefix = envPrefix;
        }
    }

    private final Path home;
    private final Product product;
    private final String version;
    private final Path javaHome;
    private final String heap;
    private final Map<String, String> settings;
    private final String probeAuthorization; // Basic header of the first user, or null
    private final Duration startupTimeout;
    private final String serviceUser;
    private final Path workDir;
    private final int httpPort;
    private final int transportPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread stopOnExit = new Thread(this::close, "search-server-stop");

    private Process process; // guarded by this
    private boolean closed; // guarded by this

    private SearchServer(Builder b, Product product, String version, Path workDir, int httpPort, int transportPort) {
        this.home = b.home;
        this.product = product;
        this.version = version;
        this.javaHome = b.javaHome;
        this.heap = b.heap;
        this.settings = new LinkedHashMap<>(b.settings);
        this.probeAuthorization = b.users.isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
                (b.users.get(0)[0] + ":" + b.users.get(0)[1]).getBytes(StandardCharsets.UTF_8));
        this.startupTimeout = b.startupTimeout;
        this.serviceUser = b.serviceUser;
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
    }

    /**
     * Returns a builder for a server of the distribution unpacked at {@code distribution}: the
     * directory that holds {@code bin/}, {@code config/} and {@code lib/}, for example
     * {@code target/search-dists/elasticsearch-8.19.21}.
     *
     * @param distribution the unpacked distribution's top directory
     * @return a new builder with the defaults
     */
    public static Builder builder(Path distribution) {
        return new Builder(distribution);
    }

    /**
     * Finds a JDK of at least {@code minimumVersion}: this JVM's own if it is new enough, else the
     * newest one under {@code /usr/lib/jvm} that is. Elasticsearch 8 and OpenSearch 2 run on 17,
     * Elasticsearch 9 needs 21, OpenSearch 3 needs 21 (tested with 25).
     *
     * @param minimumVersion the lowest acceptable feature version, e.g. {@code 21}
     * @return the JDK's home directory
     * @throws IllegalStateException if there is none
     */
    public static Path findJavaHome(int minimumVersion) {
        if (Runtime.version().feature() >= minimumVersion) {
            return Path.of(System.getProperty("java.home"));
        }
        Path best = null;
        int bestVersion = 0;
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : jdks.toList()) {
                int v = releaseVersion(jdk);
                if (v >= minimumVersion && v > bestVersion && Files.isExecutable(jdk.resolve("bin/java"))) {
                    best = jdk;
                    bestVersion = v;
                }
            }
        } catch (IOException e) {
            // no /usr/lib/jvm: fall through
        }
        if (best == null) {
            throw new IllegalStateException("no JDK " + minimumVersion + " or later found (this JVM is "
                    + Runtime.version().feature() + ", none under /usr/lib/jvm): pass one to javaHome(..)");
        }
        return best;
    }

    /**
     * Returns the server's HTTP address; the same across {@link #stop()} and {@link #restart()}.
     *
     * @return {@code "http://127.0.0.1:<port>"}, or {@code https://} when {@code xpack.security.http.ssl.enabled}
     *     or {@code plugins.security.ssl.http.enabled} is set to {@code true}
     */
    public String url() {
        return (https() ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    /** @return the HTTP port on {@code 127.0.0.1} */
    public int httpPort() {
        return httpPort;
    }

    /** @return the transport (node-to-node) port on {@code 127.0.0.1} */
    public int transportPort() {
        return transportPort;
    }

    /** @return whether the distribution is Elasticsearch or OpenSearch */
    public Product product() {
        return product;
    }

    /** @return the server's version, e.g. {@code "8.19.21"}, read from the distribution's {@code lib/} */
    public String version() {
        return version;
    }

    /**
     * Returns the server's own copy of the distribution's {@code config} directory. A test may add
     * files there (certificates, a keystore, users) before {@link #restart()}; see
     * {@link Builder#configFile} for files needed at the first start.
     *
     * @return the configuration directory the server reads
     */
    public Path configDir() {
        return workDir.resolve("config");
    }

    /** @return the file the server's standard output and error go to */
    public Path consoleLog() {
        return workDir.resolve("console.log");
    }

    /**
     * Returns the last lines of the server's console output, for failure messages.
     *
     * @param lines how many lines at most
     * @return the lines, joined with {@code \n}
     */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(consoleLog(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean consoleLogContains(String text) {
        try (Stream<String> lines = Files.lines(consoleLog(), StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.contains(text));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** @return whether the server's process is alive */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Returns the CPU time used so far by the server's processes (launcher, CLI and server JVM) since
     * the last start, for benchmarks that account for where the CPU went.
     *
     * @return the total CPU time, zero when stopped
     */
    public synchronized Duration cpu() {
        if (process == null) {
            return Duration.ZERO;
        }
        Duration total = process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        for (ProcessHandle p : process.descendants().toList()) {
            total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return total;
    }

    /**
     * Starts the stopped server again on the same ports with the same data; returns once it is ready.
     *
     * @throws IllegalStateException if it is running or closed, or not ready within the startup
     *     timeout (the message quotes the end of its console log)
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        }
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + serviceUser, "--regid=" + serviceUser, "--init-groups", "--"));
        }
        command.add(home.toAbsolutePath().resolve("bin").resolve(product.command).toString());
        for (Map.Entry<String, String> s : effectiveSettings().entrySet()) {
            command.add("-E");
            command.add(s.getKey() + "=" + s.getValue());
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
        Map<String, String> env = builder.environment();
        env.put(product.envPrefix + "JAVA_HOME", javaHome.toString());
        env.put(product.envPrefix + "PATH_CONF", configDir().toString());
        env.put(product.envPrefix + "TMPDIR", workDir.resolve("tmp").toString());
        env.put(product.envPrefix + "JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
        env.put("HOME", workDir.toString());
        env.remove("JAVA_HOME");
        env.remove("JAVA_TOOL_OPTIONS");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + this + ": " + command, e);
        }
        awaitReady();
    }

    /**
     * Stops the server and keeps its data: SIGTERM to every process of its tree (the OpenSearch
     * launcher does not forward signals), then SIGKILL to what is left after {@link #STOP_TIMEOUT}.
     * Does nothing if it is not running.
     */
    public synchronized void stop() {
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
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

    /** Stops the server and deletes its directory (configuration copy, data, logs). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
        deleteTree(workDir);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is under /tmp
        }
    }

    @Override
    public String toString() {
        return product.command + "-" + version + " at " + url();
    }

    // --- starting ------------------------------------------------------------------------------

    private boolean https() {
        return "true".equals(settings.get("xpack.security.http.ssl.enabled"))
                || "true".equals(settings.get("plugins.security.ssl.http.enabled"));
    }

    private boolean securityConfigured() {
        return settings.containsKey(product == Product.ELASTICSEARCH ? "xpack.security.enabled" : "plugins.security.disabled");
    }

    private Map<String, String> effectiveSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("discovery.type", "single-node");
        s.put("http.host", "127.0.0.1");
        s.put("http.port", Integer.toString(httpPort));
        s.put("transport.host", "127.0.0.1");
        s.put("transport.port", Integer.toString(transportPort));
        s.put("path.data", workDir.resolve("data").toString());
        s.put("path.logs", workDir.resolve("logs").toString());
        // Others share the disk; a filling disk must not turn indices read-only mid-test.
        s.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        if (!securityConfigured()) {
            if (product == Product.ELASTICSEARCH) {
                s.put("xpack.security.enabled", "false");
            } else if (Files.isDirectory(home.resolve("plugins/opensearch-security"))) {
                s.put("plugins.security.disabled", "true");
            }
        }
        s.putAll(settings);
        return s;
    }

    /**
     * Ready means the cluster health is at least yellow. With security on, the probe authenticates
     * as the first {@link Builder#user}; without one it has no credentials, and any HTTP answer,
     * 401 included, shows the node serves requests (the caller waits for what it needs with its
     * own credentials).
     */
    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        boolean secured = https() || "true".equals(effectiveSettings().get("xpack.security.enabled"))
                || "false".equals(effectiveSettings().getOrDefault("plugins.security.disabled", "true"));
        HttpClient client = https() ? probeClient() : http;
        URI health = URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s");
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue()
                        + " before it was ready; log tail:\n" + logTail(LOG_TAIL_LINES));
            }
            try {
                HttpRequest.Builder probe = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5));
                if (probeAuthorization != null) {
                    probe.header("Authorization", probeAuthorization);
                }
                HttpResponse<String> r = client.send(probe.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || (secured && probeAuthorization == null && r.statusCode() == 401)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + this, e);
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException(this + " was not ready within " + startupTimeout
                        + "; log tail:\n" + logTail(LOG_TAIL_LINES));
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + this, e);
            }
        }
    }

    /**
     * The readiness probe over HTTPS trusts any certificate: it only asks whether the server on this
     * loopback port answers; the code under test brings its own trust.
     */
    private static HttpClient probeClient() {
        X509ExtendedTrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
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

    /**
     * Configures a server. Every setting is optional; {@link #start()} validates the distribution
     * and the JDK before it starts anything.
     */
    public static final class Builder {
        private final Path home;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private String heap = DEFAULT_HEAP;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, Path> configFiles = new LinkedHashMap<>();
        private final List<String[]> users = new ArrayList<>(); // {name, password, roles}
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private String serviceUser = DEFAULT_SERVICE_USER;

        private Builder(Path home) {
            this.home = Objects.requireNonNull(home, "distribution");
        }

        /**
         * The JDK the server runs on ({@code ES_JAVA_HOME} / {@code OPENSEARCH_JAVA_HOME}); the
         * integ-test distributions bundle none. Default: this JVM's. See {@link SearchServer#findJavaHome}.
         *
         * @param javaHome the JDK's home directory (the one holding {@code bin/java})
         * @return this builder
         */
        public Builder javaHome(Path javaHome) {
            this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
            return this;
        }

        /**
         * The server's heap, for both {@code -Xms} and {@code -Xmx}. Default {@value SearchServer#DEFAULT_HEAP}.
         *
         * @param heap a JVM size such as {@code "512m"} or {@code "1g"}
         * @return this builder
         */
        public Builder heap(String heap) {
            Objects.requireNonNull(heap, "heap");
            if (!heap.matches("\\d+[kmgKMG]?")) {
                throw new IllegalArgumentException("heap must be a JVM size such as 512m, got '" + heap + "'");
            }
            this.heap = heap;
            return this;
        }

        /**
         * A node setting, passed as {@code -E key=value}; it overrides the kit's own (security off,
         * disk thresholds off). The addresses, ports and paths are the kit's and are rejected here.
         *
         * @param key the setting's name, e.g. {@code "xpack.security.enabled"}
         * @param value its value
         * @return this builder
         */
        public Builder setting(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.equals("discovery.type") || key.startsWith("http.host") || key.equals("http.port")
                    || key.startsWith("transport.host") || key.equals("transport.port") || key.startsWith("path.")) {
                throw new IllegalArgumentException("setting '" + key + "' is managed by SearchServer");
            }
            settings.put(key, value);
            return this;
        }

        /**
         * A file copied into the server's own configuration directory before the first start, replacing
         * the distribution's file of that name if there is one (a
         * certificate, a keystore, a users file); settings refer to it by {@code relativePath}.
         *
         * @param relativePath where it goes, relative to the configuration directory, e.g. {@code "certs/http.p12"}
         * @param source the file to copy
         * @return this builder
         */
        public Builder configFile(String relativePath, Path source) {
            Objects.requireNonNull(relativePath, "relativePath");
            Objects.requireNonNull(source, "source");
            if (Path.of(relativePath).isAbsolute() || Path.of(relativePath).normalize().startsWith("..")) {
                throw new IllegalArgumentException("relativePath must stay inside the configuration directory, got '"
                        + relativePath + "'");
            }
            configFiles.put(relativePath, source);
            return this;
        }

        /**
         * A user of Elasticsearch's file realm, added with {@code bin/elasticsearch-users useradd}
         * before the first start; for tests with {@code xpack.security.enabled=true}. The first user
         * added is also the one the readiness probe authenticates as, so give it a role that may
         * read the cluster health ({@code superuser}, or {@code monitor} privileges).
         *
         * @param name the user name
         * @param password its password (at least 6 characters, Elasticsearch's minimum)
         * @param roles its roles, e.g. {@code "superuser"}; at least one
         * @return this builder
         */
        public Builder user(String name, String password, String... roles) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            if (password.length() < 6) {
                throw new IllegalArgumentException("password must have at least 6 characters");
            }
            if (roles.length == 0) {
                throw new IllegalArgumentException("user '" + name + "' needs at least one role");
            }
            users.add(new String[] {name, password, String.join(",", roles)});
            return this;
        }

        /**
         * How long {@link #start()} and {@link SearchServer#restart()} wait for the server. Default
         * {@link SearchServer#DEFAULT_STARTUP_TIMEOUT}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * The system user the server runs as when this JVM is root. Default {@value SearchServer#DEFAULT_SERVICE_USER}.
         *
         * @param user an existing user with a group of the same name
         * @return this builder
         */
        public Builder serviceUser(String user) {
            this.serviceUser = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * Prepares the server's directory and starts it on free ports; returns once it is ready.
         *
         * @return the running server; close it when done
         * @throws IllegalArgumentException if {@code distribution} is not an unpacked Elasticsearch
         *     or OpenSearch distribution, or the JDK has no {@code bin/java}
         * @throws IllegalStateException if the server does not become ready within the startup timeout
         * @throws UncheckedIOException if its directory cannot be prepared
         */
        public SearchServer start() {
            Product product;
            if (Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
                product = Product.ELASTICSEARCH;
            } else if (Files.isRegularFile(home.resolve("bin/opensearch"))) {
                product = Product.OPENSEARCH;
            } else {
                throw new IllegalArgumentException(home.toAbsolutePath() + " is not an unpacked Elasticsearch or OpenSearch "
                        + "distribution (no bin/elasticsearch or bin/opensearch); is the unpack step of the build bound "
                        + "to a phase before the tests?");
            }
            if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
                throw new IllegalArgumentException("javaHome " + javaHome + " has no bin/java");
            }
            String version = serverVersion(home);
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOnce(product, version);
                } catch (PortTaken e) {
                    // Another process took a port between FreePorts.find() and the server's bind.
                    if (attempt >= START_ATTEMPTS) {
                        throw (RuntimeException) e.getCause();
                    }
                }
            }
        }

        private SearchServer startOnce(Product product, String version) {
            Path work;
            try {
                work = Files.createTempDirectory(Path.of("/tmp"), "tributary-" + product.command + "-" + version + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for " + product.command + " " + version, e);
            }
            try {
                copyTree(home.resolve("config"), work.resolve("config"));
                for (Map.Entry<String, Path> f : configFiles.entrySet()) {
                    Path target = work.resolve("config").resolve(f.getKey());
                    Files.createDirectories(target.getParent());
                    Files.copy(f.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
                }
                rewriteJvmOptions(work);
                for (String dir : List.of("data", "logs", "tmp")) {
                    Files.createDirectories(work.resolve(dir));
                }
                if (product == Product.ELASTICSEARCH && !Files.isDirectory(home.resolve("modules/analysis-common"))) {
                    installAnalysisSubset(home, version);
                }
                if (!users.isEmpty()) {
                    if (product != Product.ELASTICSEARCH) {
                        throw new IllegalArgumentException("user(..) needs Elasticsearch's file realm; " + home
                                + " is OpenSearch");
                    }
                    for (String[] user : users) {
                        runTool(home, javaHome, work, "elasticsearch-users", "useradd", user[0], "-p", user[1], "-r", user[2]);
                    }
                }
                if (runningAsRoot()) {
                    makeReadable(home);
                    chownTree(work, serviceUser);
                }
            } catch (IOException e) {
                deleteTree(work);
                throw new UncheckedIOException("cannot prepare a directory for " + product.command + " " + version, e);
            } catch (RuntimeException e) {
                deleteTree(work);
                throw e;
            }
            SearchServer server = new SearchServer(this, product, version, work, FreePorts.find(), FreePorts.find());
            // A test JVM that exits without close() must not leave a server behind.
            Runtime.getRuntime().addShutdownHook(server.stopOnExit);
            try {
                server.restart();
            } catch (RuntimeException e) {
                boolean portTaken = server.consoleLogContains("java.net.BindException");
                server.close();
                throw portTaken ? new PortTaken(e) : e;
            }
            return server;
        }

        /** A start that failed because a port the kit picked was taken meanwhile: worth another try. */
        private static final class PortTaken extends RuntimeException {
            private static final long serialVersionUID = 1L;

            PortTaken(RuntimeException cause) {
                super(cause);
            }
        }

        /** Runs a command-line tool of the distribution against the server's own configuration. */
        private static void runTool(Path home, Path javaHome, Path work, String tool, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(home.toAbsolutePath().resolve("bin").resolve(tool).toString());
            command.addAll(List.of(args));
            Path log = work.resolve("tools.log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("ES_JAVA_HOME", javaHome.toString());
            builder.environment().put("ES_PATH_CONF", work.resolve("config").toString());
            builder.environment().put("ES_TMPDIR", work.resolve("tmp").toString());
            builder.environment().remove("JAVA_HOME");
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            Process process = builder.start();
            try {
                if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(tool + " did not finish within " + TOOL_TIMEOUT);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + tool, e);
            }
            if (process.exitValue() != 0) {
                // The arguments may hold a password: name the tool and its first argument only.
                throw new IOException(tool + " " + args[0] + " exited with " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        }

        /**
         * Installs {@link dev.tributary.testkit.elasticsearch.AnalysisCommonSubset} as a plugin of the
         * distribution, unless this kit's version of it is there already: its class files, read from
         * this kit's classpath, in a jar of their own, with a descriptor naming the distribution's
         * version. Written to a temporary directory first and moved in, so a server starting
         * meanwhile sees it whole or not at all; one JVM at a time (a lock file in the distribution).
         */
        private static void installAnalysisSubset(Path home, String version) throws IOException {
            synchronized (SearchServer.class) {
                try (FileChannel lockFile = FileChannel.open(home.resolve(".tributary-analysis-plugin.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockFile.lock()) {
                    installAnalysisSubsetLocked(home, version);
                }
            }
        }

        private static void installAnalysisSubsetLocked(Path home, String version) throws IOException {
            Path pluginDir = home.resolve("plugins").resolve(ANALYSIS_PLUGIN);
            Map<String, byte[]> files = Map.of(
                    ANALYSIS_PLUGIN + ".jar", analysisSubsetJar(),
                    "plugin-descriptor.properties", String.join("\n",
                            "name=" + ANALYSIS_PLUGIN,
                            "description=pattern_capture, uax_url_email, lowercase and unique for the .security index"
                                    + " (Tributary test kit)",
                            "version=" + version,
                            "classname=" + ANALYSIS_PLUGIN_CLASS,
                            "java.version=17",
                            "elasticsearch.version=" + version,
                            "").getBytes(StandardCharsets.UTF_8));
            boolean installed = true;
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path existing = pluginDir.resolve(f.getKey());
                installed &= Files.exists(existing) && Arrays.equals(Files.readAllBytes(existing), f.getValue());
            }
            if (installed) {
                return;
            }
            Path staging = Files.createTempDirectory(home.resolve("plugins"), "." + ANALYSIS_PLUGIN + "-");
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
                Files.setPosixFilePermissions(staging.resolve(f.getKey()), PosixFilePermissions.fromString("rw-r--r--"));
            }
            deleteTree(pluginDir);
            Files.move(staging, pluginDir, StandardCopyOption.ATOMIC_MOVE);
        }

        /** A jar of the class files of the plugin's package, from a directory or a jar on the classpath. */
        private static byte[] analysisSubsetJar() throws IOException {
            String classFile = ANALYSIS_PLUGIN_CLASS.replace('.', '/') + ".class";
            URI uri;
            try {
                uri = Objects.requireNonNull(SearchServer.class.getClassLoader().getResource(classFile), classFile).toURI();
            } catch (URISyntaxException e) {
                throw new IOException("cannot locate " + classFile, e);
            }
            String packagePath = classFile.substring(0, classFile.lastIndexOf('/') + 1);
            FileSystem jarFileSystem = null;
            if ("jar".equals(uri.getScheme())) {
                try {
                    jarFileSystem = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened elsewhere in this JVM: use it, leave it open
                }
            }
            try (Stream<Path> files = Files.list(Path.of(uri).getParent())) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (JarOutputStream out = new JarOutputStream(bytes)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".class")).sorted().toList()) {
                        JarEntry entry = new JarEntry(packagePath + file.getFileName());
                        entry.setTime(0);
                        out.putNextEntry(entry);
                        out.write(Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
                return bytes.toByteArray();
            } finally {
                if (jarFileSystem != null) {
                    jarFileSystem.close();
                }
            }
        }

        private static String serverVersion(Path home) {
            try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
                for (Path jar : jars.toList()) {
                    Matcher m = SERVER_JAR.matcher(jar.getFileName().toString());
                    if (m.matches()) {
                        return m.group(2);
                    }
                }
            } catch (IOException e) {
                // fall through
            }
            return "unknown";
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
                throw new IOException("the system user '" + user + "' does not exist; Elasticsearch refuses to run as "
                        + "root: create it (useradd --system --user-group " + user + ", as .ci/setup does)", e);
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
         * The unpacked distribution belongs to root, its config files are mode 660 in the zip, and
         * the service user must read everything and execute the scripts. Done once per
         * distribution (marker file).
         */
        private static void makeReadable(Path home) throws IOException {
            synchronized (SearchServer.class) {
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
    }
}
