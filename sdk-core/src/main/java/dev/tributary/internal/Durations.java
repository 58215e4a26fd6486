package dev.tributary.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration notation of Tributary's configuration, topics files and command lines:
 * {@code 500ms}, {@code 45s}, {@code 30m}, {@code 12h}, {@code 7d}, or ISO-8601 ({@code PT10S}).
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final String EXAMPLES = "7d, 12h, 30m, 45s, 500ms";

  private Durations() {}

  /**
   * Parses a duration with a unit.
   *
   * @throws IllegalArgumentException whose message completes "{@code <setting>} ...", e.g.
   *     "must be a duration such as 7d, 12h, 30m, 45s, 500ms, got 'soon'"
   */
  public static Duration parse(String text) {
    return parse(text, false);
  }

  /**
   * Parses a duration where a plain number means milliseconds (Kafka's convention for
   * {@code retention.ms} and friends).
   *
   * @throws IllegalArgumentException as {@link #parse(String)}
   */
  public static Duration parseMillisByDefault(String text) {
    return parse(text, true);
  }

  private static Duration parse(String text, boolean plainNumberIsMillis) {
    String expected = "must be a duration such as " + EXAMPLES + (plainNumberIsMillis ? " or a number of milliseconds" : "");
    if (text == null) {
      throw new IllegalArgumentException(expected + ", got nothing");
    }
    String t = text.trim();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches() && (m.group(2) != null || plainNumberIsMillis)) {
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMillis(n);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("is too large: '" + text + "'", e);
      }
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(expected + ", got '" + text + "'", e);
    }
  }

  /** The shortest exact notation: 604 800 000 ms is {@code 7d}, 90 s is {@code 90s}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    long[] units = {Duration.ofDays(1).toMillis(), Duration.ofHours(1).toMillis(), Duration.ofMinutes(1).toMillis(), 1000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis != 0 && millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }
}
