package com.example.payments;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns request JSON into {@link PaymentRequest}s, or into the list of what is wrong with it.
 * Card numbers are checked (digits, length, Luhn) and then only their masked form is kept.
 */
final class PaymentValidator {
  static final String MALFORMED_JSON = "malformed_json";
  static final String MISSING_FIELD = "missing_field";
  static final String INVALID_AMOUNT = "invalid_amount";
  static final String INVALID_CURRENCY = "invalid_currency";
  static final String INVALID_CARD = "invalid_card";
  static final String INVALID_FIELD = "invalid_field";
  static final String BATCH_EMPTY = "batch_empty";
  static final String BATCH_TOO_LARGE = "batch_too_large";

  /** The currencies the service takes. */
  static final Set<String> CURRENCIES = Set.of("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK");
  static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
  static final int MAX_DESCRIPTION_CHARS = 500;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final int maxBatchSize;

  PaymentValidator(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  /** The outcome of validating a body: the payments, or the errors (never both). */
  record Result(List<PaymentRequest> payments, List<ValidationError> errors) {
    boolean valid() {
      return errors.isEmpty();
    }
  }

  Result single(JsonNode body, long receivedAt) {
    List<ValidationError> errors = new ArrayList<>();
    PaymentRequest p = payment(body, -1, null, receivedAt, errors);
    return errors.isEmpty() ? new Result(List.of(p), List.of()) : new Result(List.of(), errors);
  }

  /** A batch is {@code {"payments": [...]}} (or a bare array); all or nothing. */
  Result batch(JsonNode body, String batchId, long receivedAt) {
    JsonNode items = body != null && body.isObject() ? body.get("payments") : body;
    if (items == null || !items.isArray()) {
      return new Result(List.of(), List.of(new ValidationError(-1, "payments", MISSING_FIELD,
          "a batch is {\"payments\": [...]}")));
    }
    if (items.isEmpty()) {
      return new Result(List.of(), List.of(new ValidationError(-1, "payments", BATCH_EMPTY, "the batch is empty")));
    }
    if (items.size() > maxBatchSize) {
      return new Result(List.of(), List.of(new ValidationError(-1, "payments", BATCH_TOO_LARGE,
          "a batch holds at most " + maxBatchSize + " payments, got " + items.size())));
    }
    List<ValidationError> errors = new ArrayList<>();
    List<PaymentRequest> payments = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      PaymentRequest p = payment(items.get(i), i, batchId, receivedAt, errors);
      if (p != null) {
        payments.add(p);
      }
    }
    return errors.isEmpty() ? new Result(List.copyOf(payments), List.of()) : new Result(List.of(), errors);
  }

  private static PaymentRequest payment(JsonNode node, int index, String batchId, long receivedAt,
      List<ValidationError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new ValidationError(index, null, MALFORMED_JSON, "a payment is a JSON object"));
      return null;
    }
    int before = errors.size();

    String paymentId = text(node, "payment_id");
    if (paymentId == null) {
      paymentId = "pay-" + UUID.randomUUID();
    } else if (!ID.matcher(paymentId).matches()) {
      errors.add(new ValidationError(index, "payment_id", INVALID_FIELD,
          "payment_id must be 1-64 characters of letters, digits, '_', '.', ':' or '-'"));
    }

    BigDecimal amount = null;
    JsonNode amountNode = node.get("amount");
    if (amountNode == null || amountNode.isNull()) {
      errors.add(new ValidationError(index, "amount", MISSING_FIELD, "amount is required"));
    } else if (!amountNode.isNumber()) {
      errors.add(new ValidationError(index, "amount", INVALID_AMOUNT, "amount must be a number"));
    } else {
      amount = amountNode.decimalValue();
      if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0 || amount.scale() > 2) {
        errors.add(new ValidationError(index, "amount", INVALID_AMOUNT,
            "amount must be positive, at most " + MAX_AMOUNT + ", with at most two decimals"));
      }
    }

    String currency = text(node, "currency");
    if (currency == null) {
      errors.add(new ValidationError(index, "currency", MISSING_FIELD, "currency is required"));
    } else if (!CURRENCIES.contains(currency)) {
      errors.add(new ValidationError(index, "currency", INVALID_CURRENCY,
          "currency must be one of " + String.join(", ", CURRENCIES.stream().sorted().toList())));
    }

    String merchantId = text(node, "merchant_id");
    if (merchantId == null) {
      errors.add(new ValidationError(index, "merchant_id", MISSING_FIELD, "merchant_id is required"));
    } else if (!ID.matcher(merchantId).matches()) {
      errors.add(new ValidationError(index, "merchant_id", INVALID_FIELD,
          "merchant_id must be 1-64 characters of letters, digits, '_', '.', ':' or '-'"));
    }

    String card = null;
    String cardNumber = text(node, "card_number");
    if (cardNumber != null) {
      String digits = cardNumber.replaceAll("[ -]", "");
      if (!digits.matches("[0-9]{12,19}") || !luhn(digits)) {
        // the message never repeats the number: it may be a real card with a typo
        errors.add(new ValidationError(index, "card_number", INVALID_CARD,
            "card_number must be 12-19 digits with a valid check digit"));
      } else {
        card = CardMasker.maskCard(digits);
      }
    }

    String description = text(node, "description");
    if (description != null && description.length() > MAX_DESCRIPTION_CHARS) {
      errors.add(new ValidationError(index, "description", INVALID_FIELD,
          "description must be at most " + MAX_DESCRIPTION_CHARS + " characters"));
    }
    if (errors.size() > before) {
      return null;
    }
    return new PaymentRequest(paymentId, amount, currency, merchantId, card, CardMasker.mask(description),
        batchId, receivedAt);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.isTextual() ? v.textValue() : v.toString();
    return s.isBlank() ? null : s.trim();
  }

  /** The Luhn check digit test of card numbers. */
  static boolean luhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }
}
