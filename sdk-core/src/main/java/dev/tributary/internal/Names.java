package dev.tributary.internal;

/** Prometheus name rules, applied when instruments are registered (never on the recording path). */
final class Names {
  private Names() {}

  /** A valid metric name made from {@code name} by replacing invalid characters with '_', or null if there is nothing to work with. */
  static String sanitizeMetricName(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (i == 0 && c >= '0' && c <= '9') {
        sb.append('_').append(c);
      } else {
        sb.append(ok ? c : '_');
      }
    }
    return sb.toString();
  }

  /** A valid label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}, not starting with {@code __}), or null. */
  static String sanitizeLabelName(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (i == 0 && c >= '0' && c <= '9') {
        sb.append('_').append(c);
      } else {
        sb.append(ok ? c : '_');
      }
    }
    String s = sb.toString();
    while (s.startsWith("__")) {
      s = s.substring(1);
    }
    return s;
  }
}
