package dev.tributary.testkit;

import static dev.tributary.testkit.KafkaBrokerTest.producer;
import static dev.tributary.testkit.KafkaBrokerTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerProcessTest {

    @Test
    void childBrokerServesClientsAndCloseEndsIt() throws Exception {
        int port = FreePorts.find();
        long pid;
        Path dir;
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start("--port", Integer.toString(port), "--partitions", "2")) {
            pid = kafka.pid();
            dir = kafka.logDir();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(kafka.isAlive()).isTrue();
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.logFile()).exists().startsWith(dir);

            try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
                send(producer, "from.parent", "k", "hello child");
            }
            assertThat(kafka.reader().records("from.parent", 1, Duration.ofSeconds(20)))
                    .extracting(ConsumerRecord::value).containsExactly("hello child");
            try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of("from.parent")).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get("from.parent").partitions()).hasSize(2);
            }
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    void childThatCannotStartFailsWithItsOutput() {
        assertThatThrownBy(() -> KafkaBrokerProcess.start("--port", "not-a-number"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the Kafka broker process exited with status 2 before it was ready")
                .hasMessageContaining("kafka-broker: --port needs a number, got 'not-a-number'");
    }

    @Test
    void mainAnnouncesOneLineAndExitsWhenStdinEnds(@TempDir Path dir) throws Exception {
        Process process = new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName(),
                "--log-dir", dir.toString(), "--exit-on-stdin-eof")
                .redirectError(dir.resolve("stderr.log").toFile())
                .start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = stdout.readLine();
            assertThat(line).matches("TRIBUTARY_KAFKA_BOOTSTRAP=127\\.0\\.0\\.1:\\d+");

            process.getOutputStream().close();
            assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("exited after stdin closed").isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(stdout.readLine()).as("nothing else on stdout").isNull();
        } finally {
            process.destroyForcibly();
        }
        // a given directory is kept, with the data and the ports it used
        assertThat(dir.resolve("data/meta.properties")).exists();
        assertThat(Files.readString(dir.resolve("testkit-ports.properties"))).contains("controller.port=");
    }
}
