package dev.tributary.logback;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * An exception rebuilt from a Logback {@link IThrowableProxy} when the original {@link Throwable}
 * is not available (events deserialized from a remote Logback, {@code LoggingEventVO}). It prints
 * exactly like the original: the first line and every "Caused by:"/"Suppressed:" line carry the
 * original class name and message, with the original frames.
 *
 * <p>Its own class name is what {@code error.type} shows for such events, because the SDK's
 * {@code LogEntry} only takes a {@link Throwable}; {@link #originalClassName()} keeps the real one.
 */
final class ProxiedThrowable extends Throwable {
  private static final long serialVersionUID = 1L;
  /** Deeper cause chains are cut: a proxy chain is data from outside and may be malformed. */
  private static final int MAX_DEPTH = 64;

  private final String originalClassName;

  private ProxiedThrowable(IThrowableProxy proxy) {
    super(proxy.getMessage());
    this.originalClassName = proxy.getClassName() == null ? "java.lang.Throwable" : proxy.getClassName();
    StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
    if (frames != null) {
      StackTraceElement[] elements = new StackTraceElement[frames.length];
      int n = 0;
      for (StackTraceElementProxy frame : frames) {
        if (frame != null && frame.getStackTraceElement() != null) {
          elements[n++] = frame.getStackTraceElement();
        }
      }
      setStackTrace(n == elements.length ? elements : Arrays.copyOf(elements, n));
    }
  }

  /**
   * The event's exception: the original when Logback kept it, otherwise a rebuilt one with the
   * original's class name, message, frames, cause chain and suppressed exceptions; {@code null}
   * when there is none.
   */
  static Throwable of(IThrowableProxy proxy) {
    if (proxy == null) {
      return null;
    }
    if (proxy instanceof ThrowableProxy real && real.getThrowable() != null) {
      return real.getThrowable();
    }
    return rebuild(proxy, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  private static ProxiedThrowable rebuild(IThrowableProxy proxy, Set<IThrowableProxy> seen, int depth) {
    seen.add(proxy);
    ProxiedThrowable t = new ProxiedThrowable(proxy);
    if (depth < MAX_DEPTH) {
      IThrowableProxy cause = proxy.getCause();
      if (cause != null && !seen.contains(cause)) {
        t.initCause(rebuild(cause, seen, depth + 1));
      }
      IThrowableProxy[] suppressed = proxy.getSuppressed();
      if (suppressed != null) {
        for (IThrowableProxy s : suppressed) {
          if (s != null && !seen.contains(s)) {
            t.addSuppressed(rebuild(s, seen, depth + 1));
          }
        }
      }
    }
    return t;
  }

  /** The class name of the exception this one stands for. */
  String originalClassName() {
    return originalClassName;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    // The frames are the original's, set in the constructor; this thread's stack is irrelevant.
    return this;
  }

  @Override
  public String toString() {
    String message = getLocalizedMessage();
    return message == null ? originalClassName : originalClassName + ": " + message;
  }
}
