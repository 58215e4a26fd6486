package dev.tributary.bench.logback;

import java.nio.charset.StandardCharsets;

/** The logged text: a ~175-character message, ~250 bytes as the peer's pattern line. */
public final class Lines {
  static final String MESSAGE = "Order {} accepted: customer=C-48213 items=3 amount=42.50 currency=EUR channel=web"
      + " region=eu-west-1 payment=card-visa shipping=express warehouse=AMS-2 promo=NONE risk=low";

  private Lines() {}

  /** The message with {@code i} in place of the placeholder, as SLF4J formats it. */
  public static String message(long i) {
    return MESSAGE.replace("{}", "A-" + (1_000_000 + i));
  }

  /** What the bare producer sends: the line the peer's pattern makes of the same event. */
  static byte[] patternLine(String timestamp, long i) {
    return (timestamp + " INFO  [main] " + Contenders.LOGGER + " - " + message(i) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
