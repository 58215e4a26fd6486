package dev.tributary.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** The configuration of a single-node KRaft server (broker and controller in one) on 127.0.0.1. */
final class ServerProperties {

    static final String HOST = "127.0.0.1";

    /**
     * Keys the kit derives from the ports and the directory; a caller setting them would break
     * {@code restart()} or the readiness check, so the builder rejects them.
     */
    static final Set<String> MANAGED_KEYS = Set.of(
            "process.roles",
            "node.id",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "inter.broker.listener.name",
            "controller.listener.names",
            "controller.quorum.bootstrap.servers",
            "controller.quorum.voters",
            "sasl.enabled.mechanisms",
            "log.dir",
            "log.dirs",
            "metadata.log.dir");

    /** Defaults a caller may override with {@code brokerProperty}. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("num.partitions", "1"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            // One partition each: the internal topics are created on first use, and 50 partitions
            // (Kafka's default) cost a second of a test's time for no benefit on a single node.
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.num.partitions", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // The log cleaner allocates this buffer up front; Kafka's 128 MB default is sized for
            // production compaction, 2 MB is plenty for compacted topics in tests.
            Map.entry("log.cleaner.dedupe.buffer.size", "2097152"));

    static final int NODE_ID = 1;

    private ServerProperties() {}

    /**
     * The server's properties. With {@code sasl} non-null, a {@code SASL_SSL} listener on
     * {@code saslPort} is added; {@code PLAINTEXT} stays the inter-broker listener, so the kit's own
     * admin client and {@link TopicReader} keep working without credentials.
     */
    static Properties create(int port, int controllerPort, int saslPort, SaslSslListener sasl, Path dataDir,
            Duration startupTimeout, Map<String, String> overrides) {
        Properties properties = new Properties();
        properties.putAll(DEFAULTS);
        properties.setProperty("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));
        properties.putAll(overrides);
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", Integer.toString(NODE_ID));
        properties.setProperty("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        String listeners = "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (sasl != null) {
            listeners += "," + SaslSslListener.NAME + "://" + HOST + ":" + saslPort;
            protocols += "," + SaslSslListener.NAME + ":" + SaslSslListener.NAME;
            sasl.configure(properties);
        }
        properties.setProperty("listeners", listeners);
        properties.setProperty("advertised.listeners", listeners);
        properties.setProperty("listener.security.protocol.map", protocols);
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("log.dirs", dataDir.toString());
        return properties;
    }
}
