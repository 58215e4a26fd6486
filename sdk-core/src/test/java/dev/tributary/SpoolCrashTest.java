package dev.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.testkit.FreePorts;
import dev.tributary.testkit.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's crash test: a JVM spooling events (broker down, {@code fsync=always}), or spilling logs
 * ({@code logs.overflow=spill}), is killed with SIGKILL while it spools; a torn record is appended to
 * its last segment, as a crash mid-write leaves; the next start with the same spool directory and the
 * broker up delivers every record the dead JVM had reported as acknowledged to the spool, and counts
 * the torn tail instead of replaying it.
 */
class SpoolCrashTest {
  private static final int ACKNOWLEDGED_BEFORE_KILL = 20_000;

  @TempDir
  Path spool;

  @Test
  void everyEventAcknowledgedToTheSpoolBeforeKillMinus9IsDeliveredByTheNextStart() throws Exception {
    crashAndRestart(StreamKind.EVENTS, "crash.events");
  }

  @Test
  void everySpilledLogRecordBeforeKillMinus9IsDeliveredByTheNextStart() throws Exception {
    crashAndRestart(StreamKind.LOGS, "logs.events");
  }

  private void crashAndRestart(StreamKind stream, String topic) throws Exception {
    int port = FreePorts.find();
    String bootstrap = "127.0.0.1:" + port;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        SpoolingMain.class.getName(), bootstrap, spool.toString(), stream.label())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long acknowledged;
    try {
      acknowledged = awaitSpooled(child, ACKNOWLEDGED_BEFORE_KILL, Duration.ofSeconds(120));
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    appendTornRecord(lastSegment());

    try (KafkaBroker broker = KafkaBroker.builder().port(port).start()) {
      broker.createTopic(topic, 2);
      TributaryBuilder builder = Tributary.builder()
          .bootstrapServers(bootstrap)
          .serviceName("crasher")
          .instanceId("crasher-1")
          .metricsStep(Duration.ofHours(1))
          .healthInterval(Duration.ofHours(1));
      Tributary client = (stream == StreamKind.EVENTS ? builder.eventsSpoolDir(spool)
          : builder.logsOverflow(OverflowPolicy.SPILL).logsSpoolDir(spool)).build();
      TributaryStats.SpoolStats opened = awaitReplayed(client, stream, Duration.ofSeconds(120));
      assertThat(opened.recovered()).as("recovered at least what was acknowledged").isGreaterThanOrEqualTo(acknowledged);
      assertThat(opened.tornRecords()).as("the torn tail is counted").isGreaterThanOrEqualTo(1);
      assertThat(opened.replayed()).isEqualTo(opened.recovered());
      assertThat(opened.pending()).isZero();

      List<ConsumerRecord<String, String>> records = broker.reader().drain(topic, Duration.ofSeconds(2));
      String ownRun = ((dev.tributary.internal.DefaultTributary) client).source().runId();
      Set<String> runs = new HashSet<>();
      BitSet delivered = new BitSet();
      for (ConsumerRecord<String, String> r : records) {
        JsonNode e = Envelopes.parse(r); // the torn bytes never arrive as a record: every value is an envelope
        runs.add(Envelopes.run(e));
        delivered.set((int) Envelopes.seq(e));
      }
      assertThat(runs).as("only the killed run's records, with their original run id").hasSize(1)
          .doesNotContain(ownRun);
      assertThat(delivered.nextClearBit(1) - 1L).as("every acknowledged event, seq 1..%d", acknowledged)
          .isGreaterThanOrEqualTo(acknowledged);
      assertThat(delivered.cardinality()).as("nothing beyond what was recovered")
          .isEqualTo((int) opened.recovered());
      assertThat(Envelopes.track(records).totalGaps()).isZero();
      assertThat(client.shutdown(Duration.ofSeconds(10)).isComplete()).isTrue();
    }
  }

  /** Reads the child's reports until it has acknowledged {@code target} events; returns the last count. */
  private static long awaitSpooled(Process child, long target, Duration timeout) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Long> reached = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith("SPOOLED ")) {
            long n = Long.parseLong(line.substring(8).trim());
            if (n >= target) {
              return n;
            }
          }
        }
        throw new IllegalStateException("the child exited before spooling " + target + " events");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    long n = reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    // Keep draining its output so that it never blocks on a full pipe before the kill lands.
    CompletableFuture.runAsync(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    });
    return n;
  }

  private static TributaryStats.SpoolStats awaitReplayed(Tributary client, StreamKind stream, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      TributaryStats.SpoolStats s = client.stats().spool(stream);
      if (s.enabled() && s.recovered() > 0 && s.replayed() == s.recovered() && s.pending() == 0) {
        return s;
      }
      assertThat(System.nanoTime() - deadline).as("replay finished in time: %s", s).isNegative();
      Thread.sleep(50);
    }
  }

  private Path lastSegment() throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted()
          .reduce((a, b) -> Files.isRegularFile(b) && sizeOf(b) > 0 ? b : a).orElseThrow();
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The first bytes of a record: a plausible length and checksum, a few payload bytes, then nothing. */
  private static void appendTornRecord(Path segment) throws IOException {
    byte[] torn = {0, 0, 1, 0, 0x12, 0x34, 0x56, 0x78, 1, 0, 0, 1, (byte) 0x8a};
    Files.write(segment, torn, StandardOpenOption.APPEND);
  }

}
