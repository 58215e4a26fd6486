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

  /**
   * The thread marked last: producer callbacks call {@link #markCurrent()} for every record, on
   * the same network thread, whose map of thread-locals is crowded (Kafka's, the logging
   * backend's), so that a lookup there probes past collisions: 14% of that thread's samples in
   * JFR. A thread once marked stays marked, so seeing it here again is enough.
   */
  private static volatile Thread lastMarked;

  /** Marks the current thread as one that delivers records (the I/O thread; a producer callback's thread). */
  static void markCurrent() {
    Thread t = Thread.currentThread();
    if (t == lastMarked) {
      return;
    }
    State s = STATE.get();
    if (!s.internal) {
      s.internal = true;
    }
    lastMarked = t;
  }
}
