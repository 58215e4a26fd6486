package com.example.payments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counts behind {@code GET /stats}: what the API accepted and refused, what the processor did. */
final class PaymentStats {
  private final long startedAt = System.currentTimeMillis();
  private final LongAdder requests = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder invalid = new LongAdder();
  private final LongAdder unavailable = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder declined = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder unreadable = new LongAdder();

  void request() {
    requests.increment();
  }

  void accepted(int payments) {
    accepted.add(payments);
  }

  void invalid() {
    invalid.increment();
  }

  void unavailable() {
    unavailable.increment();
  }

  void unreadable() {
    unreadable.increment();
  }

  void processed(String status) {
    switch (status) {
      case PaymentProcessor.COMPLETED -> completed.increment();
      case PaymentProcessor.DECLINED -> declined.increment();
      default -> failed.increment();
    }
  }

  long processedTotal() {
    return completed.sum() + declined.sum() + failed.sum();
  }

  Map<String, Object> toMap(long consumerLag) {
    Map<String, Object> api = new LinkedHashMap<>();
    api.put("requests", requests.sum());
    api.put("payments_accepted", accepted.sum());
    api.put("requests_invalid", invalid.sum());
    api.put("requests_unavailable", unavailable.sum());
    Map<String, Object> processor = new LinkedHashMap<>();
    processor.put("completed", completed.sum());
    processor.put("declined", declined.sum());
    processor.put("failed", failed.sum());
    processor.put("unreadable", unreadable.sum());
    processor.put("consumer_lag", consumerLag);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uptime_seconds", (System.currentTimeMillis() - startedAt) / 1000);
    m.put("api", api);
    m.put("processor", processor);
    return m;
  }
}
