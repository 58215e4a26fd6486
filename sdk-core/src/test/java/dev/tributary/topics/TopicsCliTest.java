package dev.tributary.topics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TopicsCliTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

    @TempDir
    Path dir;

    @Test
    void appliesTheBundledDefaultsOnceAndThenReportsThemMatching() {
        Run first = run("--bootstrap-servers", KAFKA.broker().bootstrapServers());

        assertThat(first.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(first.out).isEqualTo(""
                + "Applying bundled /dev/tributary/topics/tributary-topics.json to " + KAFKA.broker().bootstrapServers()
                + "\n"
                + "created   metrics.events: 3 partitions, retention.ms=604800000, compression.type=lz4,"
                + " cleanup.policy=delete\n"
                + "created   logs.events: 3 partitions, retention.ms=604800000, compression.type=lz4,"
                + " cleanup.policy=delete\n"
                + "created   health.events: 3 partitions, retention.ms=604800000, cleanup.policy=compact,delete\n"
                + "created   metrics.events.dlq: 1 partition, retention.ms=2592000000, cleanup.policy=delete\n"
                + "created   logs.events.dlq: 1 partition, retention.ms=2592000000, cleanup.policy=delete\n"
                + "created   health.events.dlq: 1 partition, retention.ms=2592000000, cleanup.policy=delete\n"
                + "6 topics: 6 created, 0 matching, 0 with drift (0 findings); nothing was altered or deleted\n");
        assertThat(first.err).isEmpty();

        Run second = run("--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--fail-on-drift");

        assertThat(second.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(second.out).contains("matching  metrics.events\n", "matching  health.events.dlq\n")
                .endsWith("6 topics: 0 created, 6 matching, 0 with drift (0 findings); nothing was altered or deleted\n");
    }

    @Test
    void dryRunCreatesNothing() throws Exception {
        Path file = topicsFile("{\"topics\": [{\"name\": \"cli.dry\", \"partitions\": 2}]}");

        Run run = run("--bootstrap-servers=" + KAFKA.broker().bootstrapServers(), "--file", file.toString(), "--dry-run");

        assertThat(run.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(run.out).isEqualTo("Dry run of " + file + " to " + KAFKA.broker().bootstrapServers() + "\n"
                + "would create cli.dry: 2 partitions\n"
                + "1 topic: 1 to create, 0 matching, 0 with drift (0 findings); dry run, nothing was changed\n");
        assertThat(KAFKA.broker().admin().listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain("cli.dry");
    }

    @Test
    void driftIsPrintedAndFailsOnlyWithFailOnDrift() throws Exception {
        KAFKA.broker().createTopic("cli.drifted", 1);
        Path file = topicsFile("{\"topics\": [{\"name\": \"cli.drifted\", \"partitions\": 2}]}");

        Run lenient = run("--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--file", file.toString());
        Run strict = run("--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--file", file.toString(),
                "--fail-on-drift");

        assertThat(lenient.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(lenient.out).contains("drift     cli.drifted: partitions: expected 2, actual 1 (fewer than declared)\n");
        assertThat(strict.exitCode).isEqualTo(TopicsCli.EXIT_DRIFT);
        assertThat(strict.out).isEqualTo(lenient.out);
        assertThat(strict.err).isEqualTo("tributary-topics: 1 topic(s) differ from their declaration (--fail-on-drift)\n");
    }

    @Test
    void bootstrapServersComeFromTheEnvironmentOrTheCommandConfig() throws Exception {
        Path file = topicsFile("{\"topics\": [{\"name\": \"cli.env\", \"partitions\": 1}]}");
        Path commandConfig = dir.resolve("admin.properties");
        Files.writeString(commandConfig, "bootstrap.servers=" + KAFKA.broker().bootstrapServers() + "\nclient.id=cli-test\n");

        Run fromEnv = run(Map.of(TopicsCli.BOOTSTRAP_SERVERS_ENV, KAFKA.broker().bootstrapServers()),
                "--file", file.toString(), "--timeout", "20s");
        Run fromCommandConfig = run(Map.of(), "--file", file.toString(), "--command-config", commandConfig.toString());

        assertThat(fromEnv.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(fromEnv.out).contains("created   cli.env: 1 partition\n");
        assertThat(fromCommandConfig.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(fromCommandConfig.out).contains("matching  cli.env\n");
    }

    @Test
    void usageAndConfigurationErrorsExitWithTwo() throws IOException {
        Path invalid = topicsFile("{\"topics\": [{\"name\": \"a\", \"partitions\": 0}]}");
        String servers = KAFKA.broker().bootstrapServers();

        assertThat(run("--bootstrap-servers", servers, "--verbose")).satisfies(r -> {
            assertThat(r.exitCode).isEqualTo(TopicsCli.EXIT_CONFIG_ERROR);
            assertThat(r.err).startsWith("tributary-topics: unknown option --verbose\nUsage: tributary-topics");
        });
        assertThat(run(Map.of())).satisfies(r -> {
            assertThat(r.exitCode).isEqualTo(TopicsCli.EXIT_CONFIG_ERROR);
            assertThat(r.err).isEqualTo("tributary-topics: no Kafka cluster given: pass --bootstrap-servers HOST:PORT"
                    + " or set TRIBUTARY_BOOTSTRAP_SERVERS\n");
        });
        assertThat(run("--bootstrap-servers", servers, "--timeout", "30")).satisfies(r -> {
            assertThat(r.exitCode).isEqualTo(TopicsCli.EXIT_CONFIG_ERROR);
            assertThat(r.err).startsWith("tributary-topics: --timeout must be a duration such as 7d, 12h, 30m, 45s, 500ms, got '30'\n");
        });
        assertThat(run("--bootstrap-servers")).satisfies(r -> {
            assertThat(r.exitCode).isEqualTo(TopicsCli.EXIT_CONFIG_ERROR);
            assertThat(r.err).startsWith("tributary-topics: --bootstrap-servers needs a value\n");
        });
        assertThat(run("--bootstrap-servers", servers, "--file", invalid.toString())).satisfies(r -> {
            assertThat(r.exitCode).isEqualTo(TopicsCli.EXIT_CONFIG_ERROR);
            assertThat(r.err).isEqualTo("tributary-topics: " + invalid
                    + ": topics[0].partitions must be positive, got 0 (topic 'a')\n");
            assertThat(r.out).isEmpty();
        });
        assertThat(run("--bootstrap-servers", servers, "--file", dir.resolve("missing.json").toString()))
                .satisfies(r -> {
                    assertThat(r.exitCode).isEqualTo(TopicsCli.EXIT_CONFIG_ERROR);
                    assertThat(r.err).isEqualTo("tributary-topics: no such file: " + dir.resolve("missing.json") + "\n");
                });
    }

    @Test
    void helpPrintsUsage() {
        Run run = run("--help");

        assertThat(run.exitCode).isEqualTo(TopicsCli.EXIT_OK);
        assertThat(run.out).startsWith("Usage: tributary-topics [options]\n").contains("--fail-on-drift");
    }

    @Test
    void unreachableClusterExitsWithThreeWithinTheTimeout() {
        String nowhere = "127.0.0.1:" + FreePorts.find();

        Run run = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run("--bootstrap-servers", nowhere, "--timeout", "2s"));

        assertThat(run.exitCode).isEqualTo(TopicsCli.EXIT_UNREACHABLE);
        assertThat(run.err).startsWith("tributary-topics: the Kafka cluster at " + nowhere + " did not answer within 2s");
    }

    private Path topicsFile(String json) throws IOException {
        Path file = Files.createTempFile(dir, "topics", ".json");
        Files.writeString(file, json);
        return file;
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = TopicsCli.run(args, env, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        return new Run(exitCode, out.toString(UTF_8), err.toString(UTF_8));
    }

    private static final class Run {
        final int exitCode;
        final String out;
        final String err;

        Run(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }
    }
}
