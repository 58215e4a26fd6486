package dev.tributary.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private final Redaction defaults = Redaction.defaults();

  @Test
  void luhnValidCardNumbersAreRedactedInAnyCommonGrouping() {
    assertThat(defaults.text("paid with 4111111111111111 today")).isEqualTo("paid with [REDACTED] today");
    assertThat(defaults.text("card 4111 1111 1111 1111.")).isEqualTo("card [REDACTED].");
    assertThat(defaults.text("amex 3782-822463-10005")).isEqualTo("amex [REDACTED]");
    assertThat(defaults.text("pan=5555555555554444,next")).isEqualTo("pan=[REDACTED],next");
    assertThat(defaults.text("Order 12 4111 1111 1111 1111")).isEqualTo("Order 12 [REDACTED]");
  }

  @Test
  void numbersThatAreNotCardsStay() {
    // Fails the Luhn check, too short, too long, part of a word or an identifier.
    assertThat(defaults.text("order 4111111111111112")).isEqualTo("order 4111111111111112");
    assertThat(defaults.text("id 123456789012")).isEqualTo("id 123456789012");
    assertThat(defaults.text("trace 41111111111111110000000")).isEqualTo("trace 41111111111111110000000");
    assertThat(defaults.text("sku X4111111111111111")).isEqualTo("sku X4111111111111111");
    assertThat(defaults.text("took 1700000000123 ms")).isEqualTo("took 1700000000123 ms");
    String plain = "nothing to see";
    assertThat(defaults.text(plain)).isSameAs(plain);
  }

  @Test
  void emailAddressesAreRedacted() {
    assertThat(defaults.text("mail jane.doe+shop@example.co.uk, please")).isEqualTo("mail [REDACTED], please");
    assertThat(defaults.text("from a@b.io to c_d@e-f.org.")).isEqualTo("from [REDACTED] to [REDACTED].");
    assertThat(defaults.text("user@localhost and @handle and x@y.1")).isEqualTo("user@localhost and @handle and x@y.1");
  }

  @Test
  void fieldNamesAndPatternsApplyAtAnyDepthAndLeaveTheInputAlone() {
    Redaction r = Redaction.builder().fieldNames("password", "card_number").pattern("\\bDE\\d{20}\\b").build();
    Map<String, Object> nested = new LinkedHashMap<>(Map.of("Password", "hunter2", "iban", "DE89370400440532013000"));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("user", "jane@example.com");
    fields.put("cardNumber", 42);
    fields.put("pan", 4111111111111111L);
    fields.put("amount", 12.5);
    fields.put("nested", nested);
    fields.put("list", List.of("ok", "DE89370400440532013000"));

    Map<String, Object> out = r.fields(fields);

    assertThat(out).containsEntry("user", "[REDACTED]").containsEntry("cardNumber", "[REDACTED]")
        .containsEntry("pan", "[REDACTED]").containsEntry("amount", 12.5)
        .containsEntry("nested", Map.of("Password", "[REDACTED]", "iban", "[REDACTED]"))
        .containsEntry("list", List.of("ok", "[REDACTED]"));
    assertThat(fields).containsEntry("user", "jane@example.com");
    assertThat(nested).containsEntry("Password", "hunter2");
    Map<String, Object> clean = Map.of("amount", 3);
    assertThat(r.fields(clean)).isSameAs(clean);
  }

  @Test
  void aValueWhoseToStringThrowsIsRedactedWholeAndTheRestKept() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("order", unreadable("card 4111111111111111 not loaded"));
    fields.put("note", "mail a@b.io");
    fields.put("items", 3);

    assertThat(defaults.fields(fields)).containsExactly(
        Map.entry("order", "[REDACTED]"), Map.entry("note", "mail [REDACTED]"), Map.entry("items", 3));
  }

  @Test
  void aValueIsWrittenAsTheTextThatWasChecked() {
    // toString() answers clean text first and a card number after: the checked text is kept.
    Object changing = new Object() {
      private int calls;

      @Override
      public String toString() {
        return calls++ == 0 ? "order 17" : "card 4111111111111111";
      }
    };
    StringBuilder builder = new StringBuilder("mail a@b.io");
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("order", changing);
    fields.put("builder", builder);
    fields.put("unit", TimeUnit.SECONDS);

    assertThat(defaults.fields(fields)).containsExactly(
        Map.entry("order", "order 17"), Map.entry("builder", "mail [REDACTED]"),
        Map.entry("unit", TimeUnit.SECONDS));
  }

  @Test
  void labelsAreRedactedByNameAndByValue() {
    Redaction r = Redaction.builder().fieldNames("session").replacement("***").build();
    assertThat(r.labels(Map.of("session", "abc", "customer", "jane@example.com", "region", "eu")))
        .isEqualTo(Map.of("session", "***", "customer", "***", "region", "eu"));
  }

  @Test
  void noneChangesNothingAndBuiltinsCanBeTurnedOff() {
    assertThat(Redaction.none().isEmpty()).isTrue();
    assertThat(Redaction.none().text("4111111111111111 a@b.io")).isEqualTo("4111111111111111 a@b.io");
    Redaction cardsOnly = Redaction.builder().emailAddresses(false).build();
    assertThat(cardsOnly.text("4111111111111111 a@b.io")).isEqualTo("[REDACTED] a@b.io");
    assertThat(cardsOnly.toString()).isEqualTo("Redaction[cardNumbers]");
  }

  @Test
  void invalidPatternsFailAtConfiguration() {
    assertThatThrownBy(() -> Redaction.builder().pattern("(")).hasMessageContaining("redaction pattern '('");
    assertThatThrownBy(() -> Redaction.builder().pattern("x*")).hasMessageContaining("matches the empty string");
  }

  /** A value whose {@code toString()} throws, with {@code message}. */
  static Object unreadable(String message) {
    return new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException(message);
      }
    };
  }
}
