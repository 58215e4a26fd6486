package dev.tributary.testkit;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) running in this JVM
 * on {@code 127.0.0.1}, for tests. No Docker needed.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *     broker.createTopic("orders", 3);
 *     // ... point the code under test at broker.bootstrapServers() ...
 *     List<ConsumerRecord<String, String>> records =
 *             broker.reader().records("orders", 10, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} or {@link Builder#start()} return a running broker. {@link #stop()}
 * shuts it down and keeps its data; {@link #restart()} brings it back on the same address with the
 * same data, as often as needed (for outage tests). {@link #close()} stops it and deletes the data
 * directory the kit created. Lifecycle methods are thread-safe and run one at a time.
 *
 * <p>Defaults: a free port, a fresh temporary directory, one partition per auto-created topic,
 * topic auto-creation on, every replication factor and {@code min.insync.replicas} 1, no initial
 * consumer-group rebalance delay. The {@code PLAINTEXT} listener is always offered.
 *
 * <p>Secured: {@link Builder#saslUser(String, String)} adds a {@code SASL_SSL} listener on a port of
 * its own, with a server certificate from {@link TestCertificates} and SASL {@code PLAIN} and
 * {@code SCRAM-SHA-512} for the users given. Clients of the code under test connect there, with the
 * properties {@link #saslSslClientProperties} returns; the kit's admin client and {@link #reader()}
 * keep using {@code PLAINTEXT}.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder().saslUser("alice", "alice-secret").start()) {
 *     Map<String, String> client =
 *             broker.saslSslClientProperties(SaslMechanism.SCRAM_SHA_512, "alice", "alice-secret");
 *     // bootstrap.servers, security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    /** How long {@link Builder#start()} and {@link #restart()} wait for the broker to be ready by default. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** How long {@link #stop()} and {@link #close()} wait for Kafka to shut down. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link #createTopic} waits for the topic and its partition leaders. */
    public static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    /** How often readiness and topic creation are polled. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    /** Attempts to start when the kit chose the ports and another process took one meanwhile. */
    private static final int START_ATTEMPTS = 3;

    private final BrokerDirectory directory;
    private final Properties serverProperties;
    private final int port;
    private final int saslSslPort;
    private final SaslSslListener saslSsl;
    private final Duration startupTimeout;

    /**
     * Serializes lifecycle transitions (start, stop, restart, close). They block for seconds while
     * Kafka starts or stops; holding the lock meanwhile is deliberate: a test that calls stop() on
     * one thread and restart() on another must see them happen in some order, never interleaved.
     */
    private final ReentrantLock lifecycle = new ReentrantLock();

    private EmbeddedKafkaServer server; // guarded by lifecycle
    private volatile boolean running;
    private volatile boolean closed;

    private final Object adminLock = new Object();
    private Admin admin; // guarded by adminLock

    private KafkaBroker(BrokerDirectory directory, Properties serverProperties, int port, int saslSslPort,
            SaslSslListener saslSsl, Duration startupTimeout) {
        this.directory = directory;
        this.serverProperties = serverProperties;
        this.port = port;
        this.saslSslPort = saslSslPort;
        this.saslSsl = saslSsl;
        this.startupTimeout = startupTimeout;
    }

    /**
     * Starts a broker with the defaults: free ports on {@code 127.0.0.1} and a fresh temporary data
     * directory. Returns once the broker answers client requests.
     *
     * @return the running broker; close it when done
     * @throws IllegalStateException if the broker does not start within {@link #DEFAULT_STARTUP_TIMEOUT}
     */
    public static KafkaBroker start() {
        return builder().start();
    }

    /**
     * Returns a builder to choose ports, partitions, broker properties or the data directory.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the address clients connect to, for {@code bootstrap.servers}. It stays the same
     * across {@link #stop()} and {@link #restart()}.
     *
     * @return {@code "127.0.0.1:<port>"}
     */
    public String bootstrapServers() {
        return ServerProperties.HOST + ":" + port;
    }

    /**
     * Returns the port of the client listener.
     *
     * @return the port clients connect to on {@code 127.0.0.1}
     */
    public int port() {
        return port;
    }

    /**
     * Returns whether the broker offers a {@code SASL_SSL} listener ({@link Builder#saslUser}).
     *
     * @return {@code true} if it does
     */
    public boolean isSaslSsl() {
        return saslSsl != null;
    }

    /**
     * Returns the address of the {@code SASL_SSL} listener, for {@code bootstrap.servers} of a client
     * that authenticates. It stays the same across {@link #stop()} and {@link #restart()}.
     *
     * @return {@code "127.0.0.1:<port>"}
     * @throws IllegalStateException if the broker has no {@code SASL_SSL} listener
     */
    public String saslSslBootstrapServers() {
        requireSaslSsl();
        return ServerProperties.HOST + ":" + saslSslPort;
    }

    /**
     * Returns the certificates of the {@code SASL_SSL} listener: its CA is what clients must trust.
     *
     * @return the broker's test certificates
     * @throws IllegalStateException if the broker has no {@code SASL_SSL} listener
     */
    public TestCertificates certificates() {
        requireSaslSsl();
        return saslSsl.certificates();
    }

    /**
     * Returns the Kafka client properties that connect to the {@code SASL_SSL} listener as the given
     * user: {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.mechanism},
     * {@code sasl.jaas.config} and the PKCS12 truststore holding the CA
     * ({@code ssl.truststore.location}, {@code .password}, {@code .type}).
     *
     * @param mechanism the SASL mechanism
     * @param user the user name (need not exist: wrong credentials are a test too)
     * @param password the password
     * @return a new mutable map, in a stable order
     * @throws IllegalStateException if the broker has no {@code SASL_SSL} listener
     */
    public Map<String, String> saslSslClientProperties(SaslMechanism mechanism, String user, String password) {
        Objects.requireNonNull(mechanism, "mechanism");
        Map<String, String> client = new LinkedHashMap<>();
        client.put("bootstrap.servers", saslSslBootstrapServers());
        client.put("security.protocol", SaslSslListener.NAME);
        client.put("sasl.mechanism", mechanism.kafkaName());
        client.put("sasl.jaas.config", mechanism.jaasConfig(user, password));
        client.put("ssl.truststore.location", certificates().truststore().toString());
        client.put("ssl.truststore.password", certificates().password());
        client.put("ssl.truststore.type", "PKCS12");
        return client;
    }

    private void requireSaslSsl() {
        if (saslSsl == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener (use Builder.saslUser)");
        }
    }

    /**
     * Returns the directory holding the broker's configuration and data. It survives {@link #stop()};
     * {@link #close()} deletes it unless it was given to {@link Builder#logDir(Path)}.
     *
     * @return the absolute path of the broker's directory
     */
    public Path logDir() {
        return directory.root();
    }

    /**
     * Returns whether the broker is running: started and neither stopped nor closed since.
     *
     * @return {@code true} between a successful start or restart and the next stop or close
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * Shuts the broker down and keeps its data, to test what clients do while Kafka is away. Does
     * nothing if the broker is not running.
     *
     * @throws IllegalStateException if Kafka does not shut down within {@link #SHUTDOWN_TIMEOUT}
     */
    public void stop() {
        lifecycle.lock();
        try {
            stopServer();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Starts the broker again on the same ports with the same data, after {@link #stop()}; a client
     * configured before keeps working once it reconnects. If the broker is running, it is stopped
     * first. Can be called any number of times. Returns once the broker answers client requests.
     *
     * @throws IllegalStateException if the broker was closed, or does not start within the startup
     *     timeout (for example because another process took its port meanwhile)
     */
    public void restart() {
        lifecycle.lock();
        try {
            ensureOpen();
            stopServer();
            startServer();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader, so
     * producers and consumers can use it right away.
     *
     * @param name the topic name
     * @param partitions the number of partitions, positive
     * @throws IllegalStateException if the topic exists already or is not ready within {@link #TOPIC_TIMEOUT}
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with replication factor 1 and the given topic configuration (for example
     * {@code cleanup.policy=compact}) and waits until every partition has a leader.
     *
     * @param name the topic name
     * @param partitions the number of partitions, positive
     * @param configs topic-level configuration, may be empty
     * @throws IllegalStateException if the topic exists already, Kafka refuses it, or it is not ready
     *     within {@link #TOPIC_TIMEOUT}
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configs, "configs");
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive, was " + partitions);
        }
        Deadline deadline = Deadline.after(TOPIC_TIMEOUT);
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        CreateTopicsOptions options = new CreateTopicsOptions()
                .timeoutMs((int) deadline.remaining().toMillis());
        try {
            admin().createTopics(List.of(topic), options).all()
                    .get(deadline.remainingAtMost(TOPIC_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicExistsException) {
                throw new IllegalStateException(
                        "topic '" + name + "' already exists on " + bootstrapServers(), cause);
            }
            throw new IllegalStateException(
                    "cannot create topic '" + name + "' on " + bootstrapServers() + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic '" + name + "' was not created on "
                    + bootstrapServers() + " within " + Deadline.describe(TOPIC_TIMEOUT), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic '" + name + "'", e);
        }
        awaitLeaders(name, partitions, deadline);
    }

    /**
     * Returns a reader of what was published to this broker's topics, to assert on in tests.
     *
     * @return a reader connected to {@link #bootstrapServers()}
     */
    public TopicReader reader() {
        return TopicReader.create(bootstrapServers());
    }

    /**
     * Returns an admin client for this broker, created on first use and shared; it stays usable
     * across {@link #stop()} and {@link #restart()}. Do not close it: {@link #close()} does.
     *
     * @return the broker's shared admin client
     * @throws IllegalStateException if the broker was closed
     */
    public Admin admin() {
        synchronized (adminLock) {
            ensureOpen();
            if (admin == null) {
                Map<String, Object> config = new LinkedHashMap<>();
                config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
                config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-testkit-admin-" + port);
                // Reconnect quickly after restart(): Kafka's default backs off up to 1 s.
                config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
                admin = Admin.create(config);
            }
            return admin;
        }
    }

    /**
     * Stops the broker, closes the shared admin client and deletes the data directory the kit
     * created (a directory given to {@link Builder#logDir(Path)} is kept). Calling it again does
     * nothing.
     *
     * @throws IllegalStateException if Kafka did not shut down within {@link #SHUTDOWN_TIMEOUT}
     *     (the directory is deleted anyway)
     */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true; // first: admin() refuses from now on, so closeAdmin() cannot miss one
            closeAdmin();
            RuntimeException failure = null;
            try {
                stopServer();
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                directory.deleteIfOwned();
            } catch (UncheckedIOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + (closed ? ", closed" : running ? ", running" : ", stopped")
                + ", " + directory + "]";
    }

    // ---- lifecycle, called with the lifecycle lock held ----

    private void startServer() {
        Deadline deadline = Deadline.after(startupTimeout);
        try {
            server = EmbeddedKafkaServer.start(serverProperties, Integer.toString(port), SHUTDOWN_TIMEOUT);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " (controller port "
                    + controllerPort() + ") did not start: " + e.getMessage(), e);
        }
        try {
            awaitReady(deadline);
        } catch (RuntimeException e) {
            EmbeddedKafkaServer failed = server;
            server = null;
            failed.shutdown(SHUTDOWN_TIMEOUT);
            throw e;
        }
        running = true;
    }

    private String controllerPort() {
        String servers = serverProperties.getProperty("controller.quorum.bootstrap.servers");
        return servers.substring(servers.lastIndexOf(':') + 1);
    }

    private void stopServer() {
        running = false;
        if (server == null) {
            return;
        }
        EmbeddedKafkaServer stopping = server;
        server = null;
        if (!stopping.shutdown(SHUTDOWN_TIMEOUT)) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                    + " did not shut down within " + Deadline.describe(SHUTDOWN_TIMEOUT));
        }
    }

    private void awaitReady(Deadline deadline) {
        Throwable lastFailure = null;
        while (true) {
            DescribeClusterOptions options = new DescribeClusterOptions()
                    .timeoutMs((int) deadline.remainingAtMost(Duration.ofSeconds(2)).toMillis());
            try {
                Collection<Node> nodes = admin().describeCluster(options).nodes().get();
                if (!nodes.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                lastFailure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker at "
                        + bootstrapServers(), e);
            }
            if (deadline.expired()) {
                throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                        + " did not answer within " + Deadline.describe(startupTimeout)
                        + (lastFailure == null ? "" : ": " + lastFailure), lastFailure);
            }
            pause(deadline, "waiting for the Kafka broker at " + bootstrapServers());
        }
    }

    private void awaitLeaders(String name, int partitions, Deadline deadline) {
        Throwable lastFailure = null;
        while (true) {
            DescribeTopicsOptions options = new DescribeTopicsOptions()
                    .timeoutMs((int) deadline.remainingAtMost(Duration.ofSeconds(2)).toMillis());
            try {
                TopicDescription description = admin().describeTopics(List.of(name), options)
                        .allTopicNames().get().get(name);
                if (description != null && description.partitions().size() >= partitions
                        && description.partitions().stream().allMatch(KafkaBroker::hasLeader)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    lastFailure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic '" + name + "'", e);
            }
            if (deadline.expired()) {
                throw new IllegalStateException("topic '" + name + "' on " + bootstrapServers()
                        + " did not get leaders for its " + partitions + " partitions within "
                        + Deadline.describe(TOPIC_TIMEOUT)
                        + (lastFailure == null ? "" : ": " + lastFailure), lastFailure);
            }
            pause(deadline, "waiting for topic '" + name + "'");
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    private static void pause(Deadline deadline, String what) {
        try {
            deadline.pause(POLL_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " is closed");
        }
    }

    private void closeAdmin() {
        synchronized (adminLock) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Configures and starts a {@link KafkaBroker}. A builder may start several brokers; each gets
     * its own directory unless {@link #logDir(Path)} is set.
     */
    public static final class Builder {

        private int port;
        private int controllerPort;
        private Path logDir;
        private int saslSslPort;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> saslUsers = new LinkedHashMap<>();
        private TestCertificates certificates;

        private Builder() {}

        /**
         * Sets the port of the client listener on {@code 127.0.0.1}.
         *
         * @param port a port number, or 0 (the default) for a free port
         * @return this builder
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /**
         * Sets the port of the KRaft controller listener on {@code 127.0.0.1}. Clients never use it;
         * it matters when the same data directory is started again in another process.
         *
         * @param controllerPort a port number, or 0 (the default) for a free port, or the port saved
         *     in a reused {@link #logDir(Path)}
         * @return this builder
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort, "controllerPort");
            return this;
        }

        /**
         * Adds a user of the {@code SASL_SSL} listener, which the first call enables. The user can
         * authenticate with SASL {@code PLAIN} and {@code SCRAM-SHA-512} (the SCRAM credential is
         * created when the storage is formatted, so a reused {@link #logDir(Path)} keeps the users it
         * was first formatted with). No authorizer is configured: an authenticated user may do anything.
         *
         * @param user letters, digits, {@code . _ -}
         * @param password letters, digits and {@code . _ ~ ! @ # $ % ^ & * ( ) + -} (no quotes, commas,
         *     brackets, {@code =} or spaces, which the JAAS and SCRAM syntaxes would misread)
         * @return this builder
         * @throws IllegalArgumentException if the name or password has other characters
         */
        public Builder saslUser(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            SaslSslListener.checkUser(user, password);
            saslUsers.put(user, password);
            return this;
        }

        /**
         * Sets the port of the {@code SASL_SSL} listener on {@code 127.0.0.1}.
         *
         * @param saslSslPort a port number, or 0 (the default) for a free port
         * @return this builder
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Builder saslSslPort(int saslSslPort) {
            this.saslSslPort = checkPort(saslSslPort, "saslSslPort");
            return this;
        }

        /**
         * Sets the certificates of the {@code SASL_SSL} listener.
         *
         * @param certificates the CA and server certificate; the default is {@link TestCertificates#shared()}
         * @return this builder
         */
        public Builder certificates(TestCertificates certificates) {
            this.certificates = Objects.requireNonNull(certificates, "certificates");
            return this;
        }

        /**
         * Sets how many partitions auto-created topics get ({@code num.partitions}).
         *
         * @param partitions a positive number; the default is 1
         * @return this builder
         * @throws IllegalArgumentException if {@code partitions} is not positive
         */
        public Builder partitions(int partitions) {
            if (partitions <= 0) {
                throw new IllegalArgumentException("partitions must be positive, was " + partitions);
            }
            properties.put("num.partitions", Integer.toString(partitions));
            return this;
        }

        /**
         * Sets a Kafka broker property, overriding the kit's default for it (for example
         * {@code auto.create.topics.enable=false} or {@code log.retention.ms}). Listener, node and
         * directory properties are managed by the kit and rejected.
         *
         * @param key a Kafka broker configuration key
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException if the key is one the kit manages
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (ServerProperties.MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("brokerProperty '" + key
                        + "' is managed by the test kit (use port(), controllerPort() or logDir())");
            }
            properties.put(key, value);
            return this;
        }

        /**
         * Uses the given directory instead of a fresh temporary one. It is created if missing and
         * kept by {@link KafkaBroker#close()}. A directory a broker used before is started with the
         * same data and, unless set here, the same ports.
         *
         * @param logDir the broker's directory
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /**
         * Sets how long starting (and restarting) may take before it fails.
         *
         * @param startupTimeout a positive duration; the default is {@link #DEFAULT_STARTUP_TIMEOUT}
         * @return this builder
         * @throws IllegalArgumentException if the duration is not positive
         */
        public Builder startupTimeout(Duration startupTimeout) {
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Starts the broker and returns once it answers client requests.
         *
         * @return the running broker; close it when done
         * @throws IllegalArgumentException if {@link #port(int)} and {@link #controllerPort(int)} are equal
         * @throws IllegalStateException if the broker does not start within the startup timeout, or
         *     a port is in use
         */
        public KafkaBroker start() {
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
            }
            if (saslSslPort != 0 && (saslSslPort == port || saslSslPort == controllerPort)) {
                throw new IllegalArgumentException("saslSslPort must differ from port and controllerPort, was "
                        + saslSslPort);
            }
            SaslSslListener sasl = saslUsers.isEmpty() ? null : new SaslSslListener(saslUsers,
                    certificates == null ? TestCertificates.shared() : certificates);
            for (int attempt = 1; ; attempt++) {
                BrokerDirectory directory =
                        logDir == null ? BrokerDirectory.temporary() : BrokerDirectory.at(logDir);
                boolean fresh = !directory.isFormatted();
                int clientPort = choosePort(port, directory, BrokerDirectory.PORT);
                int raftPort = choosePort(controllerPort, directory, BrokerDirectory.CONTROLLER_PORT);
                int securePort = sasl == null ? 0 : choosePort(saslSslPort, directory, BrokerDirectory.SASL_SSL_PORT);
                Properties server = ServerProperties.create(clientPort, raftPort, securePort, sasl,
                        directory.dataDir(), startupTimeout, properties);
                KafkaBroker broker = new KafkaBroker(directory, server, clientPort, securePort, sasl, startupTimeout);
                try {
                    directory.writeConfig(server);
                    if (fresh) {
                        EmbeddedKafkaServer.format(directory.configFile(),
                                sasl == null ? List.of() : sasl.formatArguments());
                    }
                    directory.savePorts(clientPort, raftPort, securePort);
                    broker.lifecycle.lock();
                    try {
                        broker.startServer();
                    } finally {
                        broker.lifecycle.unlock();
                    }
                    return broker;
                } catch (RuntimeException e) {
                    // A port the kit chose may have been taken by another process in between:
                    // try again with new ports in a new directory.
                    boolean retry = isBindFailure(e) && directory.owned() && port == 0 && controllerPort == 0
                            && saslSslPort == 0
                            && attempt < START_ATTEMPTS;
                    try {
                        broker.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    if (!retry) {
                        throw e;
                    }
                }
            }
        }

        private static int choosePort(int requested, BrokerDirectory directory, String key) {
            if (requested != 0) {
                return requested;
            }
            return directory.savedPort(key).orElseGet(FreePorts::find);
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
            }
            return port;
        }
    }
}
