package com.example.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardMaskerTest {

  @Test
  void masksCardNumbersWrittenInAnyUsualWay() {
    assertThat(CardMasker.mask("4111111111111111")).isEqualTo("****1111");
    assertThat(CardMasker.mask("card 4111 1111 1111 1111, thanks")).isEqualTo("card ****1111, thanks");
    assertThat(CardMasker.mask("5555-5555-5555-4444 and 378282246310005")).isEqualTo("****4444 and ****0005");
    assertThat(CardMasker.mask("19 digits 6011000990139424123")).isEqualTo("19 digits ****4123");
  }

  @Test
  void leavesOtherNumbersAlone() {
    assertThat(CardMasker.mask("order 123456 of 2026-11-23, 12 digits 123456789012")).isEqualTo(
        "order 123456 of 2026-11-23, 12 digits 123456789012");
    assertThat(CardMasker.mask("20 digits 12345678901234567890")).isEqualTo("20 digits 12345678901234567890");
    assertThat(CardMasker.mask(null)).isNull();
  }

  @Test
  void luhnAcceptsTestCardsAndRefusesTypos() {
    assertThat(PaymentValidator.luhn("4111111111111111")).isTrue();
    assertThat(PaymentValidator.luhn("378282246310005")).isTrue();
    assertThat(PaymentValidator.luhn("4111111111111112")).isFalse();
  }
}
