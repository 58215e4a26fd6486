package dev.tributary.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** One run of Kafka's combined broker and controller in this JVM, from startup to shutdown. */
final class EmbeddedKafkaServer {

    private final KafkaRaftServer server;
    private final String name;

    private EmbeddedKafkaServer(KafkaRaftServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Formats the storage described by {@code configFile} as a new single-voter cluster. The voter's
     * endpoint (the controller port) is written into the metadata log here, which is why a restart
     * must use the same controller port. {@code extraArguments} are appended (e.g. {@code --add-scram}).
     */
    static void format(Path configFile, List<String> extraArguments) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            List<String> args = new ArrayList<>(List.of(
                    "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()));
            args.addAll(extraArguments);
            status = StorageTool.execute(args.toArray(new String[0]), out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting Kafka storage with " + configFile + " failed (status "
                    + status + "): " + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    /**
     * Starts the server; on failure shuts down what was started (bounded) and rethrows. Kafka's
     * startup itself is bounded by {@code server.max.startup.time.ms}.
     */
    static EmbeddedKafkaServer start(Properties properties, String name, Duration shutdownTimeout) {
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        EmbeddedKafkaServer embedded = new EmbeddedKafkaServer(server, name);
        try {
            server.startup();
        } catch (RuntimeException | Error e) {
            embedded.shutdown(shutdownTimeout);
            throw e;
        }
        return embedded;
    }

    /**
     * Shuts the server down and waits for it, at most {@code timeout}.
     *
     * <p>Kafka's shutdown has no timeout of its own and can wait on network calls, so it runs on a
     * daemon thread the caller waits for; a hung shutdown then leaks a thread instead of a test run.
     *
     * @return whether the server stopped within the timeout
     */
    boolean shutdown(Duration timeout) {
        Thread thread = new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "tributary-kafka-shutdown-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !thread.isAlive();
    }
}
