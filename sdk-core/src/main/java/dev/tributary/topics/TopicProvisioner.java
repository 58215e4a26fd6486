package dev.tributary.topics;

import dev.tributary.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link TopicsFile} to a Kafka cluster through the {@link Admin} client: creates the
 * declared topics that are missing and reports how existing ones differ from their declaration.
 *
 * <pre>{@code
 * try (TopicProvisioner provisioner = TopicProvisioner.connect(
 *         Map.of("bootstrap.servers", "kafka:9092"), Duration.ofSeconds(30))) {
 *     ProvisioningReport report = provisioner.apply(TopicsFile.defaults());
 *     if (report.hasDrift()) {
 *         log.warn("Kafka topics differ from their declaration:\n{}", report.render());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Idempotent.</b> Applying the same file twice creates nothing the second time and reports every
 * topic as matching. A topic that another process creates between this provisioner's check and its
 * create request counts as present (Kafka's {@code TopicExistsException}) and is compared like any
 * other existing topic.
 *
 * <p><b>Never destructive.</b> This class never deletes a topic and never alters an existing topic's
 * partitions or configs: differences are reported as {@link TopicDrift} and left for an operator.
 * Adding partitions silently moves keys to other partitions (breaking per-key order, and the
 * co-partitioning of {@code health.events} with {@code metrics.events}), partitions can never be
 * removed, and shortening retention deletes data; none of that should happen as a side effect of an
 * application starting.
 *
 * <p><b>Bounded.</b> Every admin call carries the provisioner's timeout as one deadline for the whole
 * {@code apply} or {@code plan}; an unreachable cluster fails with a {@link ClusterUnreachableException}
 * shortly after it, never hangs. Instances are safe to use from one thread at a time.
 */
public final class TopicProvisioner implements AutoCloseable {

    /** Deadline for one {@code apply} or {@code plan} when none is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Extra wait beyond the deadline for a future the admin client was told to time out at the
     * deadline, so the client's own timeout (which carries a cause) normally wins over ours.
     */
    private static final long GRACE_MILLIS = 1_000;

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final Duration timeout;
    private final String cluster;
    private final boolean ownsAdmin;

    private TopicProvisioner(Admin admin, Duration timeout, String bootstrapServers, boolean ownsAdmin) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.timeout = requirePositive(timeout);
        this.cluster = bootstrapServers == null ? "the Kafka cluster" : "the Kafka cluster at " + bootstrapServers;
        this.ownsAdmin = ownsAdmin;
    }

    /**
     * A provisioner using {@code admin} with the {@link #DEFAULT_TIMEOUT}. The admin client stays
     * the caller's: {@link #close()} does not close it.
     *
     * @param admin the admin client to use
     * @return the provisioner
     */
    public static TopicProvisioner create(Admin admin) {
        return create(admin, DEFAULT_TIMEOUT);
    }

    /**
     * A provisioner using {@code admin}. The admin client stays the caller's: {@link #close()} does
     * not close it.
     *
     * @param admin the admin client to use
     * @param timeout deadline for each {@code apply} or {@code plan}, positive
     * @return the provisioner
     */
    public static TopicProvisioner create(Admin admin, Duration timeout) {
        return new TopicProvisioner(admin, timeout, null, false);
    }

    /**
     * A provisioner with its own admin client, closed by {@link #close()}. Unless {@code adminConfig}
     * sets {@code request.timeout.ms} or {@code default.api.timeout.ms}, both are set to
     * {@code timeout}; {@code client.id} defaults to {@code tributary-topics}.
     *
     * @param adminConfig Kafka admin client configs; must set {@code bootstrap.servers}, may carry
     *     security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*})
     * @param timeout deadline for each {@code apply} or {@code plan}, positive
     * @return the provisioner
     * @throws IllegalArgumentException if {@code bootstrap.servers} is missing or the timeout is not positive
     * @throws TopicProvisioningException if Kafka rejects the admin configuration
     */
    public static TopicProvisioner connect(Map<String, ?> adminConfig, Duration timeout) {
        requirePositive(timeout);
        Object servers = adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        String bootstrapServers = servers instanceof Collection
                ? ((Collection<?>) servers).stream().map(String::valueOf).collect(Collectors.joining(","))
                : servers == null ? "" : servers.toString();
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("adminConfig must set " + AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-topics");
        if (!config.containsKey(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)
                && !config.containsKey(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)) {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        }
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            throw new TopicProvisioningException("cannot create a Kafka admin client for bootstrap servers "
                    + bootstrapServers + ": " + describe(rootCause(e)), e);
        }
        return new TopicProvisioner(admin, timeout, bootstrapServers, true);
    }

    /** @return the deadline for each {@code apply} or {@code plan} */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Creates the declared topics that do not exist yet, then compares every declared topic with the
     * cluster. Never deletes or alters anything.
     *
     * @param file the declared topics
     * @return what was created, what already matched, and every drift finding
     * @throws ClusterUnreachableException if the cluster does not answer within the timeout
     * @throws TopicProvisioningException if the cluster refuses a topic or a request (the message
     *     lists the topics created before the failure)
     */
    public ProvisioningReport apply(TopicsFile file) {
        return run(file, false);
    }

    /**
     * A dry run of {@link #apply(TopicsFile)}: reads the cluster, asks the brokers to validate the
     * creation of the missing topics (Kafka's {@code validateOnly}, so invalid configs and
     * impossible replication factors show up here too), and reports what {@code apply} would do.
     * Changes nothing.
     *
     * @param file the declared topics
     * @return what would be created, what already matches, and every drift finding
     * @throws ClusterUnreachableException if the cluster does not answer within the timeout
     * @throws TopicProvisioningException if the cluster would refuse a topic
     */
    public ProvisioningReport plan(TopicsFile file) {
        return run(file, true);
    }

    /** Closes the admin client if {@link #connect(Map, Duration)} created it; idempotent. */
    @Override
    public void close() {
        if (ownsAdmin) {
            // Every call this class made has completed or hit the deadline: nothing left to wait for.
            admin.close(Duration.ZERO);
        }
    }

    private ProvisioningReport run(TopicsFile file, boolean dryRun) {
        Objects.requireNonNull(file, "file");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicSpec> specs = file.topics();
        if (specs.isEmpty()) {
            return new ProvisioningReport(dryRun, specs, Set.of(), List.of());
        }
        Map<String, TopicDescription> existing =
                describeTopics(specs.stream().map(TopicSpec::name).collect(Collectors.toList()), deadline);
        List<TopicSpec> missing = specs.stream()
                .filter(spec -> !existing.containsKey(spec.name()))
                .collect(Collectors.toList());
        Set<String> created = createTopics(missing, dryRun, deadline, existing);
        Map<String, Config> configs = describeConfigs(existing.keySet(), deadline);

        List<TopicDrift> drift = new ArrayList<>();
        for (TopicSpec spec : specs) {
            TopicDescription description = existing.get(spec.name());
            if (description != null) {
                drift.addAll(DriftDetector.compare(spec, description, configs.get(spec.name())));
            }
            spec.copartitionedWith().flatMap(file::topic).ifPresent(other -> {
                int partitions = partitionCount(spec, existing);
                int otherPartitions = partitionCount(other, existing);
                if (partitions != otherPartitions) {
                    drift.add(TopicDrift.notCopartitioned(spec.name(), partitions, other.name(), otherPartitions));
                }
            });
        }
        ProvisioningReport report = new ProvisioningReport(dryRun, specs, created, drift);
        if (!dryRun) {
            report.drift().forEach(finding -> log.warn("Kafka topic {} differs from its declaration, left as is: {}",
                    finding.topic(), finding.describe()));
        }
        return report;
    }

    /** @return the descriptions of the topics that exist; missing topics are simply absent */
    private Map<String, TopicDescription> describeTopics(List<String> names, long deadline) {
        DescribeTopicsResult result = admin.describeTopics(names,
                new DescribeTopicsOptions().timeoutMs(remainingMillis(deadline, "describeTopics")));
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        for (String name : names) {
            try {
                found.put(name, await(result.topicNameValues().get(name), "describeTopics", deadline));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure("describeTopics", "cannot describe topic " + name + " on " + cluster, e.getCause());
                }
            }
        }
        return found;
    }

    /**
     * Creates (or in a dry run validates the creation of) the missing topics. Topics that turn out
     * to exist already, created concurrently by someone else, are described and added to {@code existing}.
     *
     * @return the topics created (or that would be)
     */
    private Set<String> createTopics(List<TopicSpec> missing, boolean dryRun, long deadline,
            Map<String, TopicDescription> existing) {
        if (missing.isEmpty()) {
            return Set.of();
        }
        List<NewTopic> newTopics = missing.stream()
                .map(spec -> new NewTopic(spec.name(), Optional.of(spec.partitions()), spec.replicationFactor())
                        .configs(spec.topicConfigs()))
                .collect(Collectors.toList());
        CreateTopicsResult result = admin.createTopics(newTopics, new CreateTopicsOptions()
                .validateOnly(dryRun)
                .timeoutMs(remainingMillis(deadline, "createTopics")));
        Set<String> created = new LinkedHashSet<>();
        List<String> createdConcurrently = new ArrayList<>();
        Map<String, Throwable> refused = new LinkedHashMap<>();
        for (TopicSpec spec : missing) {
            try {
                await(result.values().get(spec.name()), "createTopics", deadline);
                created.add(spec.name());
                if (!dryRun) {
                    log.info("Created Kafka topic {}: {} partition(s), configs {}", spec.name(), spec.partitions(),
                            spec.topicConfigs());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    createdConcurrently.add(spec.name());
                } else if (e.getCause() instanceof TimeoutException) {
                    throw unreachable("createTopics", e.getCause());
                } else {
                    refused.put(spec.name(), e.getCause());
                }
            }
        }
        if (!refused.isEmpty()) {
            String reasons = refused.entrySet().stream()
                    .map(entry -> entry.getKey() + " (" + describe(entry.getValue()) + ")")
                    .collect(Collectors.joining("; "));
            String message = cluster + (dryRun ? " would refuse to create " : " refused to create ") + reasons
                    + (dryRun || created.isEmpty() ? "" : "; created before the failure: " + String.join(", ", created));
            throw new TopicProvisioningException(message, refused.values().iterator().next());
        }
        if (!createdConcurrently.isEmpty()) {
            log.info("Kafka topics {} were created concurrently by another client; comparing them instead",
                    createdConcurrently);
            existing.putAll(describeTopics(createdConcurrently, deadline));
        }
        return created;
    }

    private Map<String, Config> describeConfigs(Collection<String> topics, long deadline) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .collect(Collectors.toList());
        DescribeConfigsResult result = admin.describeConfigs(resources,
                new DescribeConfigsOptions().timeoutMs(remainingMillis(deadline, "describeConfigs")));
        Map<String, Config> configs = new HashMap<>();
        for (ConfigResource resource : resources) {
            try {
                configs.put(resource.name(), await(result.values().get(resource), "describeConfigs", deadline));
            } catch (ExecutionException e) {
                throw failure("describeConfigs",
                        "cannot describe the configs of topic " + resource.name() + " on " + cluster, e.getCause());
            }
        }
        return configs;
    }

    private static int partitionCount(TopicSpec spec, Map<String, TopicDescription> existing) {
        TopicDescription description = existing.get(spec.name());
        return description == null ? spec.partitions() : description.partitions().size();
    }

    private <T> T await(KafkaFuture<T> future, String call, long deadline) throws ExecutionException {
        long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + GRACE_MILLIS;
        try {
            return future.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while waiting for " + call + " on " + cluster, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(call, null);
        }
    }

    private int remainingMillis(long deadline, String call) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (millis <= 0) {
            throw unreachable(call, null);
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private TopicProvisioningException failure(String call, String message, Throwable cause) {
        if (cause instanceof TimeoutException) {
            return unreachable(call, cause);
        }
        return new TopicProvisioningException(message + ": " + describe(cause), cause);
    }

    private ClusterUnreachableException unreachable(String call, Throwable cause) {
        return new ClusterUnreachableException(cluster + " did not answer within " + Durations.format(timeout)
                + " (" + call + (cause == null ? "" : ": " + describe(cause)) + "); check that a broker listens"
                + " at the bootstrap servers, that the network lets this host reach it, and the client's"
                + " security settings", cause);
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Duration requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return timeout;
    }
}
