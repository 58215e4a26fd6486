package dev.tributary.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The card-number pre-check skips only text in which the full scan finds nothing. */
class CardPrecheckTest {
  private static final String[] CARDS = {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111",
      "378282246310005", "6011000990139424", "5555555555554444", "4222222222222", "3530111333300000",
      "4111 1111 1111 1111 111"};

  @Test
  void generatedTextIsRedactedExactlyAsByTheFullScan() {
    Random r = new Random(42);
    int skipped = 0;
    int found = 0;
    for (int i = 0; i < 200_000; i++) {
      String text = text(r, r.nextInt(i % 10 == 0 ? 400 : 60));
      String full = Detectors.replaceCardNumbers(text, "[R]");
      assertThat(Detectors.cardNumbers(text, "[R]")).as(text).isEqualTo(full);
      if (!Detectors.mayHoldCardNumber(text)) {
        skipped++;
      }
      if (!full.equals(text)) {
        found++;
      }
    }
    // Both branches are exercised: the pre-check skips most text and the scan still finds cards.
    assertThat(skipped).isGreaterThan(50_000);
    assertThat(found).isGreaterThan(5_000);
  }

  @Test
  void aCardAnywhereIsNeverSkipped() {
    for (String card : CARDS) {
      for (int before = 0; before < 30; before++) {
        for (int after = 0; after < 15; after++) {
          String text = "x".repeat(before) + " " + card + ".".repeat(after);
          assertThat(Detectors.mayHoldCardNumber(text)).as(text).isTrue();
          String redacted = Detectors.cardNumbers(text, "[R]");
          assertThat(redacted).isEqualTo(Detectors.replaceCardNumbers(text, "[R]")).contains(" [R]").doesNotContain("1111");
        }
      }
    }
  }

  @Test
  void textWithoutALongRunOfDigitsIsSkipped() {
    assertThat(Detectors.mayHoldCardNumber("payment authorised for order")).isFalse();
    assertThat(Detectors.mayHoldCardNumber("Order A-1000042 accepted: customer=C-48213 items=3 amount=42.50 currency=EUR"
        + " channel=web region=eu-west-1 payment=card-visa shipping=express warehouse=AMS-2 promo=NONE risk=low")).isFalse();
    assertThat(Detectors.mayHoldCardNumber("")).isFalse();
    assertThat(Detectors.mayHoldCardNumber("123456789012")).isFalse();
    assertThat(Detectors.mayHoldCardNumber("1234567890123")).isTrue();
  }

  /** Digits, separators (single and double), letters and punctuation, with real card numbers mixed in. */
  private static String text(Random r, int length) {
    StringBuilder b = new StringBuilder(length + 24);
    while (b.length() < length) {
      switch (r.nextInt(12)) {
        case 0 -> b.append(CARDS[r.nextInt(CARDS.length)]);
        case 1, 2, 3 -> b.append((char) ('0' + r.nextInt(10)));
        case 4 -> b.append(' ');
        case 5 -> b.append('-');
        case 6 -> b.append(r.nextBoolean() ? "  " : "--");
        case 7 -> b.append((char) ('a' + r.nextInt(26)));
        case 8 -> b.append(new char[] {'.', ',', '=', '/', '\u00e9', '\u0663'}[r.nextInt(6)]);
        default -> b.append("word ".repeat(1 + r.nextInt(6)));
      }
    }
    return b.toString();
  }
}
