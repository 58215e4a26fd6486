package dev.tributary.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tributary.DeliveryReport;
import dev.tributary.LogEntry;
import dev.tributary.MetricCollector;
import dev.tributary.Registration;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The appender's link to a client: one it built and owns (closed on stop), or one the application
 * shares (flushed on stop, never closed) which may not exist yet when Logback starts. Until a
 * shared client is registered, entries wait in a bounded queue and are handed over on registration.
 */
final class ClientBinding {
  /** What happens to an entry handed to {@link #send}. */
  enum Outcome { ACCEPTED, HELD, REFUSED }

  /** Told about held entries once their fate is known (on the registering or stopping thread). */
  interface HeldOutcomes {
    void shipped();

    void refused(ILoggingEvent event);
  }

  private final AtomicReference<Tributary> client = new AtomicReference<>();
  private final boolean owned;
  private final String ref;
  private final ArrayBlockingQueue<Held> held;
  private final HeldOutcomes outcomes;
  private final MetricCollector collector;
  private Registration waiting;
  private Registration collectorRegistration;

  private ClientBinding(Tributary client, boolean owned, String ref, int pendingCapacity, HeldOutcomes outcomes,
      MetricCollector collector) {
    this.client.set(client);
    this.owned = owned;
    this.ref = ref;
    this.held = client == null ? new ArrayBlockingQueue<>(pendingCapacity) : null;
    this.outcomes = outcomes;
    this.collector = collector;
  }

  /** A client the appender built: closed when the appender stops. */
  static ClientBinding owned(Tributary client, MetricCollector collector) {
    ClientBinding b = new ClientBinding(client, true, null, 0, null, collector);
    b.collectorRegistration = client.registerCollector(collector);
    return b;
  }

  /** A client given to the appender in code: flushed when the appender stops, never closed. */
  static ClientBinding shared(Tributary client, MetricCollector collector) {
    ClientBinding b = new ClientBinding(client, false, null, 0, null, collector);
    b.collectorRegistration = client.registerCollector(collector);
    return b;
  }

  /** A client registered under {@code ref} in {@link TributaryClients}, now or later. */
  static ClientBinding byName(String ref, int pendingCapacity, HeldOutcomes outcomes, MetricCollector collector) {
    ClientBinding b = new ClientBinding(null, false, ref, pendingCapacity, outcomes, collector);
    b.waiting = TributaryClients.whenRegistered(ref, b::onRegistered);
    return b;
  }

  boolean owned() {
    return owned;
  }

  /** The client, or null while waiting for a shared one. */
  Tributary client() {
    return client.get();
  }

  Outcome send(LogEntry entry, ILoggingEvent event) {
    Tributary c = client.get();
    if (c != null) {
      return c.sendLog(entry) ? Outcome.ACCEPTED : Outcome.REFUSED;
    }
    // The event may go to a fallback appender later, on another thread: freeze what it refers to.
    event.prepareForDeferredProcessing();
    if (!held.offer(new Held(entry, event))) {
      return Outcome.REFUSED;
    }
    if (client.get() != null) {
      // Registered while we were offering: make sure nothing stays behind in the queue.
      handOver();
    }
    return Outcome.HELD;
  }

  private void onRegistered(Tributary registered) {
    if (client.compareAndSet(null, registered)) {
      synchronized (this) {
        collectorRegistration = registered.registerCollector(collector);
      }
      handOver();
    }
  }

  private void handOver() {
    Tributary c = client.get();
    for (Held h; (h = held.poll()) != null; ) {
      if (c.sendLog(h.entry)) {
        outcomes.shipped();
      } else {
        outcomes.refused(h.event);
      }
    }
  }

  /**
   * Delivers what was accepted within {@code timeout}: closes an owned client, flushes a shared one.
   * Entries still waiting for a shared client that never came are returned as undelivered.
   */
  Result stop(Duration timeout) {
    Registration w = waiting;
    if (w != null) {
      w.close();
    }
    List<ILoggingEvent> neverShipped = new ArrayList<>();
    if (held != null) {
      for (Held h; (h = held.poll()) != null; ) {
        neverShipped.add(h.event);
      }
    }
    Tributary c = client.get();
    if (c == null) {
      return new Result(null, neverShipped);
    }
    DeliveryReport report;
    if (owned) {
      // The final metrics step includes the appender's counters.
      report = c.shutdown(timeout);
    } else {
      synchronized (this) {
        if (collectorRegistration != null) {
          collectorRegistration.close();
        }
      }
      report = c.flush(timeout);
    }
    return new Result(report, neverShipped);
  }

  String describe() {
    return owned ? "its own client" : ref != null ? "the client registered as '" + ref + "'" : "a shared client";
  }

  /** The outcome of {@link #stop}. */
  record Result(DeliveryReport report, List<ILoggingEvent> neverShipped) {
    long undeliveredLogs() {
      return (report == null ? 0 : report.undelivered(StreamKind.LOGS)) + neverShipped.size();
    }
  }

  private record Held(LogEntry entry, ILoggingEvent event) {}
}
