package dev.tributary;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The correlation id of the current thread's unit of work (a request, a consumed message).
 *
 * <p>Everything the SDK sends inside a scope carries the id in {@code correlation.id} and in the
 * {@code correlation-id} Kafka header; the id is also put into the SLF4J MDC under
 * {@link #MDC_KEY}, so that log lines of any logging backend carry it. Scopes nest: closing a scope
 * restores the id (and the MDC entry) that was current when it was opened.
 *
 * <pre>{@code
 * try (Correlation.Scope scope = Correlation.open(request.header("X-Correlation-ID"))) {
 *   handle(request);   // logs, events and metrics sent here carry the id
 * }
 * }</pre>
 */
public final class Correlation {
  /** The MDC key under which the current correlation id is visible to logging frameworks: {@value}. */
  public static final String MDC_KEY = "correlation_id";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private Correlation() {}

  /**
   * Opens a scope with {@code id} on the current thread; a {@code null} or blank id opens a scope
   * with a new random id. Close it on the same thread, with try-with-resources.
   */
  public static Scope open(String id) {
    String effective = id == null || id.isBlank() ? newId() : id;
    String previous = CURRENT.get();
    String previousMdc = MDC.get(MDC_KEY);
    CURRENT.set(effective);
    MDC.put(MDC_KEY, effective);
    return new Scope(effective, previous, previousMdc);
  }

  /** Opens a scope with a new random id. */
  public static Scope openNew() {
    return open(null);
  }

  /** The current thread's correlation id, or {@code null} outside any scope. */
  public static String currentId() {
    return CURRENT.get();
  }

  /** A new random correlation id (a UUID). */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** An open correlation scope; {@link #close()} restores the previous one. */
  public static final class Scope implements AutoCloseable {
    private final String id;
    private final String previous;
    private final String previousMdc;
    private boolean closed;

    private Scope(String id, String previous, String previousMdc) {
      this.id = id;
      this.previous = previous;
      this.previousMdc = previousMdc;
    }

    /** The scope's correlation id. */
    public String id() {
      return id;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
      if (previousMdc == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previousMdc);
      }
    }
  }
}
