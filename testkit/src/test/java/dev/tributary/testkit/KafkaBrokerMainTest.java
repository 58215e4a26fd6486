package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KafkaBrokerMainTest {

    @Test
    void parsesAllOptions() {
        KafkaBrokerMain.Options options = KafkaBrokerMain.Options.parse(
                "--port", "9092", "--controller-port", "9093", "--log-dir", "/tmp/k", "--partitions", "3",
                "--property", "log.retention.ms=1000", "--property", "a.b=c=d", "--exit-on-stdin-eof");

        assertThat(options.port).isEqualTo(9092);
        assertThat(options.controllerPort).isEqualTo(9093);
        assertThat(options.logDir).isEqualTo(Path.of("/tmp/k"));
        assertThat(options.partitions).isEqualTo(3);
        assertThat(options.properties).containsEntry("log.retention.ms", "1000").containsEntry("a.b", "c=d");
        assertThat(options.exitOnStdinEof).isTrue();
    }

    @Test
    void noOptionsMeanDefaults() {
        KafkaBrokerMain.Options options = KafkaBrokerMain.Options.parse();
        assertThat(options.port).isZero();
        assertThat(options.logDir).isNull();
        assertThat(options.exitOnStdinEof).isFalse();
    }

    @Test
    void badOptionsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--bogus"))
                .hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--port"))
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--partitions", "x"))
                .hasMessage("--partitions needs a number, got 'x'");
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--partitions", "0"))
                .hasMessage("partitions must be positive, was 0");
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--property", "novalue"))
                .hasMessage("--property needs KEY=VALUE, got 'novalue'");
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--property", "node.id=2"))
                .hasMessageStartingWith("brokerProperty 'node.id' is managed");
        assertThatThrownBy(() -> KafkaBrokerMain.Options.parse("--port", "70000"))
                .hasMessage("port must be between 0 and 65535, was 70000");
    }
}
