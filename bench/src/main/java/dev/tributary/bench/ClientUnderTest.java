package dev.tributary.bench;

import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.TributaryStats;
import java.time.Duration;

/**
 * A client for one benchmark trial, against a broker that is up (started here, in a child JVM) or
 * down (an address with nothing listening). Not a JMH state itself: each benchmark class holds one.
 */
final class ClientUnderTest implements AutoCloseable {
  final boolean brokerUp;
  private final BenchBroker broker;
  private final String bootstrap;
  private Tributary client;
  private TributaryStats before;
  private java.nio.file.Path spoolDir;

  private ClientUnderTest(boolean brokerUp) {
    BenchClients.quietLogs();
    this.brokerUp = brokerUp;
    if (brokerUp) {
      broker = BenchBroker.startProcess();
      broker.createTopics(BenchClients.TOPICS);
      bootstrap = broker.bootstrapServers();
    } else {
      broker = null;
      bootstrap = BenchClients.nobodyListening();
    }
  }

  /** @param broker {@code up} or {@code down} */
  static ClientUnderTest forBroker(String broker) {
    return switch (broker) {
      case "up" -> new ClientUnderTest(true);
      case "down" -> new ClientUnderTest(false);
      default -> throw new IllegalArgumentException("broker must be up or down, was " + broker);
    };
  }

  /** Builds a fresh client (closing the previous one) and, with the broker up, waits until it is connected. */
  Tributary newClient(int bufferCapacity, boolean logsRateLimited) {
    return newClient(bufferCapacity, logsRateLimited, Spool.NONE);
  }

  /** Which stream, if any, gets a spool: events through {@code events.spool.dir}, logs with {@code logs.overflow=spill}. */
  enum Spool { NONE, EVENTS, LOGS }

  /**
   * Like {@link #newClient(int, boolean)}, with a spool for events or logs in a fresh temporary
   * directory (deleted with the next client).
   */
  Tributary newClient(int bufferCapacity, boolean logsRateLimited, Spool spool) {
    closeClient();
    if (spool != Spool.NONE) {
      try {
        spoolDir = java.nio.file.Files.createTempDirectory("tributary-bench-spool");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    client = BenchClients.client(bootstrap, bufferCapacity, logsRateLimited,
        spool == Spool.EVENTS ? spoolDir : null, spool == Spool.LOGS ? spoolDir : null);
    if (brokerUp) {
      BenchClients.awaitConnected(client);
    }
    before = client.stats();
    return client;
  }

  /**
   * One line with what the stream did since {@link #newClient}: how many calls were accepted, how
   * many dropped (buffer full) and how many rejected (rate limit, invalid). Printed after each iteration so that the figures say which
   * regime (accepting or overflowing) they measured.
   */
  String regime(StreamKind kind) {
    TributaryStats.StreamStats now = client.stats().stream(kind);
    TributaryStats.StreamStats was = before.stream(kind);
    long accepted = now.accepted() - was.accepted();
    long dropped = now.dropped() - was.dropped();
    long rejected = now.rejected() - was.rejected();
    long total = accepted + dropped + rejected;
    TributaryStats.SpoolStats spool = client.stats().spool(kind);
    return String.format("[%s broker %s] calls=%d accepted=%d dropped=%d rejected=%d (%.1f%% accepted) sent=%d queued=%d%s",
        kind.label(), brokerUp ? "up" : "down", total, accepted, dropped, rejected,
        total == 0 ? 0.0 : 100.0 * accepted / total, now.sent() - was.sent(), now.queued(),
        spool == null || !spool.enabled() ? "" : String.format(" spooled=%d spool-bytes=%d", spool.spooled(), spool.bytes()));
  }

  private void closeClient() {
    if (client != null) {
      // What is still buffered is abandoned: the next iteration starts from an empty buffer.
      client.shutdown(Duration.ofMillis(200));
      client = null;
    }
    if (spoolDir != null) {
      deleteTree(spoolDir);
      spoolDir = null;
    }
  }

  private static void deleteTree(java.nio.file.Path dir) {
    try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }

  @Override
  public void close() {
    try {
      closeClient();
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
