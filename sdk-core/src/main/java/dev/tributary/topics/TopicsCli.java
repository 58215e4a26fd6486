package dev.tributary.topics;

import dev.tributary.internal.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Command line for topic provisioning: applies a topics file (by default the bundled one) to a Kafka
 * cluster and prints the {@link ProvisioningReport}.
 *
 * <pre>
 * java -cp ... dev.tributary.topics.TopicsCli --bootstrap-servers kafka:9092 [--file topics.json]
 *     [--dry-run] [--fail-on-drift] [--command-config admin.properties] [--timeout 30s]
 * </pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} done (drift, if any, is printed); {@value #EXIT_DRIFT} drift found and
 * {@code --fail-on-drift} given; {@value #EXIT_CONFIG_ERROR} usage, topics file, admin configuration
 * error, or a topic the cluster refused; {@value #EXIT_UNREACHABLE} the cluster did not answer within
 * the timeout.
 */
public final class TopicsCli {

    /** Exit code: every topic exists; drift, if any, was printed (see {@code --fail-on-drift}). */
    public static final int EXIT_OK = 0;
    /** Exit code: drift found and {@code --fail-on-drift} given. */
    public static final int EXIT_DRIFT = 1;
    /** Exit code: bad arguments, an invalid topics or command-config file, or a topic the cluster refused. */
    public static final int EXIT_CONFIG_ERROR = 2;
    /** Exit code: the cluster did not answer within {@code --timeout}. */
    public static final int EXIT_UNREACHABLE = 3;

    /** Environment variable read when {@code --bootstrap-servers} is not given. */
    public static final String BOOTSTRAP_SERVERS_ENV = "TRIBUTARY_BOOTSTRAP_SERVERS";

    private static final String USAGE = String.join(System.lineSeparator(),
            "Usage: tributary-topics [options]",
            "Creates the declared Kafka topics that are missing and reports drift; never alters or deletes.",
            "",
            "  --bootstrap-servers HOST:PORT[,HOST:PORT]  Kafka cluster (default: $" + BOOTSTRAP_SERVERS_ENV
                    + ", else bootstrap.servers from --command-config)",
            "  --file PATH              topics file (default: the bundled metrics/logs/health topics)",
            "  --dry-run                report what would be created; change nothing",
            "  --fail-on-drift          exit with " + EXIT_DRIFT + " if an existing topic differs from its declaration",
            "  --command-config FILE    Kafka admin client properties (security.protocol, sasl.*, ssl.*, ...)",
            "  --timeout DURATION       give up after this long, e.g. 30s, 2m (default: "
                    + Durations.format(TopicProvisioner.DEFAULT_TIMEOUT) + ")",
            "  --help                   print this help",
            "",
            "Exit codes: " + EXIT_OK + " ok, " + EXIT_DRIFT + " drift with --fail-on-drift, " + EXIT_CONFIG_ERROR
                    + " usage or configuration error, " + EXIT_UNREACHABLE + " cluster unreachable.");

    private TopicsCli() {
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line without exiting, reading {@value #BOOTSTRAP_SERVERS_ENV} from the
     * environment.
     *
     * @param args the command-line arguments
     * @param out where the report (and {@code --help}) goes
     * @param err where errors go
     * @return the exit code, one of the {@code EXIT_*} constants
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tributary-topics: " + e.getMessage());
            err.println(USAGE);
            return EXIT_CONFIG_ERROR;
        }
        if (options.help) {
            out.println(USAGE);
            return EXIT_OK;
        }
        try {
            Map<String, Object> adminConfig = loadCommandConfig(options.commandConfig);
            String bootstrapServers = options.bootstrapServers != null ? options.bootstrapServers
                    : env.get(BOOTSTRAP_SERVERS_ENV) != null && !env.get(BOOTSTRAP_SERVERS_ENV).isBlank()
                    ? env.get(BOOTSTRAP_SERVERS_ENV)
                    : (String) adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("no Kafka cluster given: pass --bootstrap-servers HOST:PORT or set "
                        + BOOTSTRAP_SERVERS_ENV);
            }
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            TopicsFile file = options.file == null ? TopicsFile.defaults() : TopicsFile.parse(options.file);

            out.println((options.dryRun ? "Dry run of " : "Applying ") + file.source() + " to " + bootstrapServers);
            ProvisioningReport report;
            try (TopicProvisioner provisioner = TopicProvisioner.connect(adminConfig, options.timeout)) {
                report = options.dryRun ? provisioner.plan(file) : provisioner.apply(file);
            }
            out.print(report.render());
            out.flush();
            if (options.failOnDrift && report.hasDrift()) {
                err.println("tributary-topics: " + report.drifted().size()
                        + " topic(s) differ from their declaration (--fail-on-drift)");
                return EXIT_DRIFT;
            }
            return EXIT_OK;
        } catch (ClusterUnreachableException e) {
            err.println("tributary-topics: " + e.getMessage());
            return EXIT_UNREACHABLE;
        } catch (TopicProvisioningException | IllegalArgumentException e) {
            // TopicsFileException is an IllegalArgumentException and names the file and fields itself.
            err.println("tributary-topics: " + e.getMessage());
            return EXIT_CONFIG_ERROR;
        } catch (NoSuchFileException e) {
            err.println("tributary-topics: no such file: " + e.getFile());
            return EXIT_CONFIG_ERROR;
        } catch (IOException e) {
            err.println("tributary-topics: cannot read " + e.getMessage());
            return EXIT_CONFIG_ERROR;
        }
    }

    private static Map<String, Object> loadCommandConfig(Path path) throws IOException {
        Map<String, Object> config = new HashMap<>();
        if (path != null) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(path)) {
                properties.load(in);
            }
            properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        }
        return config;
    }

    /** The parsed command line. */
    private static final class Options {
        String bootstrapServers;
        Path file;
        boolean dryRun;
        boolean failOnDrift;
        Path commandConfig;
        Duration timeout = TopicProvisioner.DEFAULT_TIMEOUT;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String inlineValue = null;
                if (arg.startsWith("--") && arg.contains("=")) {
                    inlineValue = arg.substring(arg.indexOf('=') + 1);
                    arg = arg.substring(0, arg.indexOf('='));
                }
                switch (arg) {
                    case "--bootstrap-servers":
                        options.bootstrapServers = inlineValue != null ? inlineValue : value(args, ++i, arg);
                        break;
                    case "--file":
                        options.file = Path.of(inlineValue != null ? inlineValue : value(args, ++i, arg));
                        break;
                    case "--command-config":
                        options.commandConfig = Path.of(inlineValue != null ? inlineValue : value(args, ++i, arg));
                        break;
                    case "--timeout":
                        options.timeout = timeout(inlineValue != null ? inlineValue : value(args, ++i, arg));
                        break;
                    case "--dry-run":
                        options.dryRun = flag(arg, inlineValue);
                        break;
                    case "--fail-on-drift":
                        options.failOnDrift = flag(arg, inlineValue);
                        break;
                    case "--help":
                    case "-h":
                        options.help = true;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return options;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--") || args[i].isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static boolean flag(String option, String inlineValue) {
            if (inlineValue != null) {
                throw new IllegalArgumentException(option + " takes no value");
            }
            return true;
        }

        private static Duration timeout(String text) {
            Duration timeout;
            try {
                timeout = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--timeout " + e.getMessage(), e);
            }
            if (timeout.isZero()) {
                throw new IllegalArgumentException("--timeout must be positive, got '" + text + "'");
            }
            return timeout;
        }
    }
}
