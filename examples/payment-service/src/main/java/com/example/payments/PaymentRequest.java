package com.example.payments;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated payment, as the API publishes it to the processor. It never holds a card number in
 * clear: {@code card} is the masked form and {@code description} has card-like numbers masked.
 *
 * @param paymentId the payment's id (given by the client or generated)
 * @param amount the amount, positive
 * @param currency an ISO 4217 code the service accepts
 * @param merchantId the merchant
 * @param card the masked card number ({@code ****1111}), or {@code null}
 * @param description free text with card-like numbers masked, or {@code null}
 * @param batchId the batch the payment came in, or {@code null} for a single payment
 * @param receivedAtMillis when the API received it (epoch milliseconds), for end-to-end latency
 */
public record PaymentRequest(String paymentId, BigDecimal amount, String currency, String merchantId,
    String card, String description, String batchId, long receivedAtMillis) {

  /** The payment as a JSON-ready map (the value of the Kafka record, and event attributes). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("payment_id", paymentId);
    m.put("amount", amount);
    m.put("currency", currency);
    m.put("merchant_id", merchantId);
    if (card != null) {
      m.put("card", card);
    }
    if (description != null) {
      m.put("description", description);
    }
    if (batchId != null) {
      m.put("batch_id", batchId);
    }
    m.put("received_at", receivedAtMillis);
    return m;
  }
}
