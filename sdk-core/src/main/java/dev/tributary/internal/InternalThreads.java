package dev.tributary.internal;

/**
 * Marks the threads that deliver records: every client's I/O thread and its Kafka producers' network
 * threads. A log record emitted on such a thread (Kafka's client logging about a connection, a
 * batch, a retry; the client's own warnings) is caused by delivering records; shipping it through
 * {@code sendLog} would cause more of them, a loop whatever the logging backend. So {@code sendLog}
 * refuses records from marked threads (counted as rejected), and refuses a nested call on the same
 * thread (a backend that logs while it ships a record).
 *
 * <p>One thread-local read per {@code sendLog}; the state is created once per thread.
 */
final class InternalThreads {
  private static final String KAFKA_NETWORK_THREAD = "kafka-producer-network-thread | tributary-";

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  /** Per-thread flags. */
  static final class State {
    /** A thread that delivers records. */
    boolean internal = Thread.currentThread().getName().startsWith(KAFKA_NETWORK_THREAD);
    /** Inside {@code sendLog} on this thread. */
    boolean inSend;
  }

  private InternalThreads() {}

  static State current() {
    return STATE.get();
  }

  /** Marks the current thread as one that delivers records (the I/O thread; a producer callback's thread). */
  static void markCurrent() {
    State s = STATE.get();
    if (!s.internal) {
      s.internal = true;
    }
  }
}
