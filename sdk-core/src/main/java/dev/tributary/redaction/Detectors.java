package dev.tributary.redaction;

/**
 * The built-in detectors, hand-written single passes over the text: most log lines hold no run of
 * 13 digits and no {@code @}, and then cost one scan and no allocation.
 */
final class Detectors {
  static final int MIN_CARD_DIGITS = 13;
  static final int MAX_CARD_DIGITS = 19;

  private Detectors() {}

  /**
   * Replaces card numbers: runs of 13 to 19 digits, optionally grouped by single spaces or hyphens,
   * not inside a longer word or number, that pass the Luhn check.
   */
  static String cardNumbers(String text, String replacement) {
    return mayHoldCardNumber(text) ? replaceCardNumbers(text, replacement) : text;
  }

  /**
   * False only when {@code text} certainly holds no card number, reading a fraction of it: a card
   * number is 13 or more digits with single separators, so it spans at least 13 characters with no
   * two non-digits in a row, and therefore covers some pair of positions {@code (12k, 12k + 1)}
   * with a digit in it. Only those pairs are read; around a digit found in one, the stretch of
   * digits, spaces and hyphens is counted, and only a stretch of 13 digits or more needs the full
   * scan. Most log lines have no such stretch.
   */
  static boolean mayHoldCardNumber(String text) {
    int n = text.length();
    int p = 0;
    while (p + 1 < n) {
      int digit = isDigit(text.charAt(p)) ? p : isDigit(text.charAt(p + 1)) ? p + 1 : -1;
      if (digit < 0) {
        p += 12;
        continue;
      }
      int start = digit;
      while (start > 0 && isRunChar(text.charAt(start - 1))) {
        start--;
      }
      int digits = 0;
      int end = start;
      while (end < n && isRunChar(text.charAt(end))) {
        if (isDigit(text.charAt(end))) {
          digits++;
        }
        end++;
      }
      if (digits >= MIN_CARD_DIGITS) {
        return true;
      }
      // The next pair that is not inside this stretch (a pair reaching past it cannot be in a card).
      p = Math.max(p + 12, (end + 11) / 12 * 12);
    }
    return false;
  }

  /** The full scan of {@link #cardNumbers}. */
  static String replaceCardNumbers(String text, String replacement) {
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (!isDigit(c) || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
        i++;
        continue;
      }
      // A run: digits, single separators between digits.
      int start = i;
      int digits = 0;
      int end = i;
      int j = i;
      while (j < n) {
        char d = text.charAt(j);
        if (isDigit(d)) {
          digits++;
          j++;
          end = j;
        } else if ((d == ' ' || d == '-') && j + 1 < n && isDigit(text.charAt(j + 1)) && digits > 0) {
          j++;
        } else {
          break;
        }
      }
      boolean atWordEnd = end >= n || !Character.isLetter(text.charAt(end));
      if (digits >= MIN_CARD_DIGITS && atWordEnd) {
        int[] span = findCard(text, start, end, digits);
        if (span != null) {
          if (out == null) {
            out = new StringBuilder(n);
          }
          out.append(text, copied, span[0]).append(replacement);
          copied = span[1];
          i = span[1];
          continue;
        }
      }
      i = Math.max(end, i + 1);
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /** The whole run if it is a card, else the first of its separator-delimited groups that is one. */
  private static int[] findCard(String text, int start, int end, int digits) {
    if (digits <= MAX_CARD_DIGITS && isCardNumber(text, start, end)) {
      return new int[] {start, end};
    }
    // "Order 12 4111 1111 1111 1111": try the longest tails and heads made of whole groups.
    for (int s = start; s < end; s++) {
      if (s > start && !isSeparator(text.charAt(s - 1))) {
        continue;
      }
      for (int e = end; e > s; e--) {
        if (e < end && !isSeparator(text.charAt(e))) {
          continue;
        }
        if ((s != start || e != end) && isCardNumber(text, s, e)) {
          return new int[] {s, e};
        }
      }
    }
    return null;
  }

  /** Whether {@code text[start, end)} holds 13 to 19 digits (separators ignored) passing the Luhn check. */
  static boolean isCardNumber(CharSequence text, int start, int end) {
    int count = 0;
    for (int i = start; i < end; i++) {
      if (isDigit(text.charAt(i))) {
        count++;
      }
    }
    if (count < MIN_CARD_DIGITS || count > MAX_CARD_DIGITS) {
      return false;
    }
    int sum = 0;
    boolean twice = false;
    for (int i = end - 1; i >= start; i--) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /**
   * Replaces e-mail addresses: a local part of letters, digits and {@code . _ % + -}, an {@code @},
   * and a domain of at least two labels whose last is two or more letters.
   */
  static String emailAddresses(String text, String replacement) {
    int at = text.indexOf('@');
    if (at < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    while (at >= 0) {
      int start = at;
      while (start > copied && isLocal(text.charAt(start - 1))) {
        start--;
      }
      while (start < at && text.charAt(start) == '.') {
        start++;
      }
      int end = at + 1;
      int lastDot = -1;
      while (end < n && isDomain(text.charAt(end))) {
        if (text.charAt(end) == '.') {
          lastDot = end;
        }
        end++;
      }
      while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
        end--;
        if (lastDot >= end) {
          lastDot = -1;
          for (int k = at + 1; k < end; k++) {
            if (text.charAt(k) == '.') {
              lastDot = k;
            }
          }
        }
      }
      if (start < at && lastDot > at + 1 && end - lastDot - 1 >= 2 && allLetters(text, lastDot + 1, end)) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, start).append(replacement);
        copied = end;
        at = text.indexOf('@', end);
      } else {
        at = text.indexOf('@', at + 1);
      }
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  private static boolean allLetters(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isLetter(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isRunChar(char c) {
    return isDigit(c) || isSeparator(c);
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '-';
  }

  private static boolean isLocal(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '.' || c == '_' || c == '%'
        || c == '+' || c == '-';
  }

  private static boolean isDomain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '.' || c == '-';
  }
}
