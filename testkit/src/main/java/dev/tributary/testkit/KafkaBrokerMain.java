package dev.tributary.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link KafkaBroker} as a process of its own, for demos, benchmarks and
 * {@link KafkaBrokerProcess}.
 *
 * <pre>
 * java -cp &lt;classpath&gt; dev.tributary.testkit.KafkaBrokerMain [--port N] [--controller-port N]
 *      [--log-dir DIR] [--partitions N] [--property key=value]... [--exit-on-stdin-eof]
 * </pre>
 *
 * <p>Once the broker answers requests, prints exactly one line on standard output,
 * {@code TRIBUTARY_KAFKA_BOOTSTRAP=127.0.0.1:<port>}; everything else goes to standard error or the
 * logging configuration. Shuts the broker down on SIGTERM (and Ctrl-C), or when standard input ends
 * with {@code --exit-on-stdin-eof}, so that a parent process that dies takes the broker with it.
 * Without {@code --log-dir} the data lives in a temporary directory deleted on exit; a given
 * directory is kept and can be started again with the same data and ports.
 *
 * <p>Exit status: 0 after standard input ended, 143 after SIGTERM (the JVM's convention; the broker
 * was shut down cleanly either way), 1 if the broker cannot start, 2 for bad arguments.
 */
public final class KafkaBrokerMain {

    /** The prefix of the line announcing the broker's address on standard output. */
    public static final String BOOTSTRAP_PREFIX = "TRIBUTARY_KAFKA_BOOTSTRAP=";

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: kafka-broker [options]",
            "  --port N              client port on 127.0.0.1 (default: a free port)",
            "  --controller-port N   KRaft controller port (default: a free port, or the one the log dir used)",
            "  --log-dir DIR         keep configuration and data in DIR (default: a temporary directory, deleted on exit)",
            "  --partitions N        partitions of auto-created topics (default: 1)",
            "  --property KEY=VALUE  a Kafka broker property, repeatable",
            "  --exit-on-stdin-eof   shut down when standard input ends",
            "  --help                print this and exit");

    private KafkaBrokerMain() {}

    /**
     * Starts the broker and returns; Kafka's threads keep the JVM alive until it shuts down.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kafka-broker: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        AtomicReference<KafkaBroker> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            KafkaBroker broker = running.getAndSet(null);
            if (broker != null) {
                broker.close();
            }
        }, "tributary-kafka-main-shutdown"));

        KafkaBroker broker;
        try {
            broker = options.builder().start();
        } catch (RuntimeException e) {
            System.err.println("kafka-broker: cannot start the broker: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        running.set(broker);
        PrintStream out = System.out;
        out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
        out.flush();
        if (options.exitOnStdinEof) {
            Thread watcher = new Thread(() -> exitOnEof(System.in), "tributary-kafka-stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void exitOnEof(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // input is ignored; only its end matters
            }
        } catch (IOException e) {
            // a broken stdin means the parent is gone as well
        }
        System.exit(0); // runs the shutdown hook, which closes the broker
    }

    /** The parsed command line. */
    static final class Options {
        int port;
        int controllerPort;
        Path logDir;
        Integer partitions;
        final Map<String, String> properties = new LinkedHashMap<>();
        boolean exitOnStdinEof;
        boolean help;

        static Options parse(String... args) {
            Options options = new Options();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String option = rest.remove(0);
                switch (option) {
                    case "--port":
                        options.port = number(option, value(option, rest));
                        break;
                    case "--controller-port":
                        options.controllerPort = number(option, value(option, rest));
                        break;
                    case "--log-dir":
                        options.logDir = Path.of(value(option, rest));
                        break;
                    case "--partitions":
                        options.partitions = number(option, value(option, rest));
                        break;
                    case "--property":
                        String property = value(option, rest);
                        int equals = property.indexOf('=');
                        if (equals <= 0) {
                            throw new IllegalArgumentException("--property needs KEY=VALUE, got '" + property + "'");
                        }
                        options.properties.put(property.substring(0, equals), property.substring(equals + 1));
                        break;
                    case "--exit-on-stdin-eof":
                        options.exitOnStdinEof = true;
                        break;
                    case "--help":
                    case "-h":
                        options.help = true;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            }
            options.builder(); // validates ports, partitions and properties now
            return options;
        }

        KafkaBroker.Builder builder() {
            KafkaBroker.Builder builder = KafkaBroker.builder().port(port).controllerPort(controllerPort);
            if (logDir != null) {
                builder.logDir(logDir);
            }
            properties.forEach(builder::brokerProperty);
            if (partitions != null) {
                builder.partitions(partitions);
            }
            return builder;
        }

        private static String value(String option, List<String> rest) {
            if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return rest.remove(0);
        }

        private static int number(String option, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
            }
        }
    }
}
