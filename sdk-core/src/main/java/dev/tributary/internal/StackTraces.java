package dev.tributary.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Renders exceptions for {@code error.*} without letting a misbehaving exception break the record. */
final class StackTraces {
  private StackTraces() {}

  /** The full stack trace with causes and suppressed exceptions, as {@code printStackTrace} writes it. */
  static String render(Throwable error) {
    try {
      StringWriter out = new StringWriter(1024);
      try (PrintWriter writer = new PrintWriter(out)) {
        error.printStackTrace(writer);
      }
      return out.toString();
    } catch (RuntimeException | StackOverflowError e) {
      return error.getClass().getName() + " (stack trace unavailable: " + e.getClass().getName() + ")";
    }
  }

  /** The exception's message, or null; a throwing {@code getMessage()} gives a placeholder. */
  static String message(Throwable error) {
    try {
      return error.getMessage();
    } catch (RuntimeException e) {
      return "[getMessage() failed: " + e.getClass().getName() + "]";
    }
  }

  /** {@code text} cut to {@code max} characters, ending with a marker that gives the original length. */
  static String cut(String text, int max) {
    String marker = "... [truncated from " + text.length() + " chars]";
    int keep = Math.max(0, max - marker.length());
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + marker;
  }
}
