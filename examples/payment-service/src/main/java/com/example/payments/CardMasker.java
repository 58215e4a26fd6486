package com.example.payments;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks card-like numbers: any run of 13 to 19 digits, optionally grouped by single spaces or
 * dashes, becomes {@code ****} followed by its last four digits. The API applies it to every string
 * of a payment before the payment is logged, published to Kafka or sent as an event, so a card
 * number never leaves the request handler in clear.
 */
public final class CardMasker {
  /** 13..19 digits, each optionally followed by one space or dash, not inside a longer digit run. */
  private static final Pattern CARD_LIKE = Pattern.compile("(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])");
  private static final String MASK = "****";

  private CardMasker() {}

  /** {@code text} with every card-like number masked; {@code null} stays {@code null}. */
  public static String mask(String text) {
    if (text == null || text.length() < 13) {
      return text;
    }
    Matcher m = CARD_LIKE.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      String digits = m.group().replaceAll("[^0-9]", "");
      m.appendReplacement(out, MASK + digits.substring(digits.length() - 4));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }

  /** The masked form of a card number that is known to be one: {@code ****1111}. */
  static String maskCard(String digits) {
    return MASK + digits.substring(Math.max(0, digits.length() - 4));
  }
}
