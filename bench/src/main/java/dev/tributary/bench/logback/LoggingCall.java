package dev.tributary.bench.logback;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A slow logging call of the broker-down run, on JFR's timeline next to GC pauses, safepoints and parks. */
@Name("dev.tributary.bench.LoggingCall")
@Label("Logging call")
@Category("Tributary bench")
@Threshold("20 us")
final class LoggingCall extends Event {
  @Label("Call index")
  int index;
}
