package com.example.payments;

/**
 * One reason a request was refused with 400.
 *
 * @param index the payment's position in a batch, or -1 for a single payment or the whole body
 * @param field the JSON field at fault, or {@code null} for the whole body
 * @param reason a stable machine-readable reason (the {@code reason} label of
 *     {@code payment_validation_failures_total}): {@value PaymentValidator#MALFORMED_JSON},
 *     {@value PaymentValidator#MISSING_FIELD}, {@value PaymentValidator#INVALID_AMOUNT},
 *     {@value PaymentValidator#INVALID_CURRENCY}, {@value PaymentValidator#INVALID_CARD},
 *     {@value PaymentValidator#INVALID_FIELD}, {@value PaymentValidator#BATCH_EMPTY},
 *     {@value PaymentValidator#BATCH_TOO_LARGE}
 * @param message a sentence for humans (never contains a card number)
 */
public record ValidationError(int index, String field, String reason, String message) {}
