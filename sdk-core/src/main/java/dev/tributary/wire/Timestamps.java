package dev.tributary.wire;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps as written on the wire: UTC, millisecond precision, e.g.
 * {@code 2026-11-23T10:15:30.123Z}.
 *
 * <p>Formatting is hand-rolled rather than {@link java.time.format.DateTimeFormatter} because it
 * runs for every envelope on the SDK's I/O thread and every record in the sidecars; the civil
 * date conversion is Howard Hinnant's {@code civil_from_days}.
 */
public final class Timestamps {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private Timestamps() {}

  /** Formats epoch milliseconds as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (years 0000-9999). */
  public static String format(long epochMillis) {
    return new String(formatAscii(epochMillis), java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** {@link #format(long)} as ASCII bytes, for writers that take encoded text. */
  static byte[] formatAscii(long epochMillis) {
    long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    // civil_from_days
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      return Instant.ofEpochMilli(epochMillis).toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    int hour = millisOfDay / 3_600_000;
    int minute = millisOfDay / 60_000 % 60;
    int second = millisOfDay / 1000 % 60;
    int milli = millisOfDay % 1000;
    byte[] b = new byte[24];
    put4(b, 0, (int) year);
    b[4] = '-';
    put2(b, 5, month);
    b[7] = '-';
    put2(b, 8, day);
    b[10] = 'T';
    put2(b, 11, hour);
    b[13] = ':';
    put2(b, 14, minute);
    b[16] = ':';
    put2(b, 17, second);
    b[19] = '.';
    b[20] = (byte) ('0' + milli / 100);
    b[21] = (byte) ('0' + milli / 10 % 10);
    b[22] = (byte) ('0' + milli % 10);
    b[23] = 'Z';
    return b;
  }

  /**
   * Parses an RFC 3339 timestamp (any offset, any sub-second precision) to epoch milliseconds.
   *
   * @throws IllegalArgumentException if the text is not a timestamp
   */
  public static long parse(CharSequence text) {
    if (text.length() == 24 && text.charAt(23) == 'Z' && text.charAt(10) == 'T' && text.charAt(19) == '.') {
      long fast = parseCanonical(text);
      if (fast != Long.MIN_VALUE) {
        return fast;
      }
    }
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an RFC 3339 timestamp: " + text, e);
    }
  }

  private static long parseCanonical(CharSequence t) {
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    int milli = digits(t, 20, 3);
    if ((year | month | day | hour | minute | second | milli) < 0
        || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(13) != ':' || t.charAt(16) != ':'
        || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      return Long.MIN_VALUE;
    }
    // days_from_civil
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yoe = y - era * 400;
    int mp = month > 2 ? month - 3 : month + 9;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = (long) era * 146_097 + doe - 719_468;
    return days * MILLIS_PER_DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L + milli;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static int digits(CharSequence t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = t.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static void put2(byte[] b, int at, int v) {
    b[at] = (byte) ('0' + v / 10);
    b[at + 1] = (byte) ('0' + v % 10);
  }

  private static void put4(byte[] b, int at, int v) {
    b[at] = (byte) ('0' + v / 1000);
    b[at + 1] = (byte) ('0' + v / 100 % 10);
    b[at + 2] = (byte) ('0' + v / 10 % 10);
    b[at + 3] = (byte) ('0' + v % 10);
  }
}
