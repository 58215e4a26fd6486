package dev.tributary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.LogEntry;
import dev.tributary.LogLevel;
import dev.tributary.OverflowPolicy;
import dev.tributary.StreamKind;
import dev.tributary.redaction.Redaction;
import dev.tributary.wire.LogEnvelope;
import dev.tributary.wire.Source;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels many records share ({@code LogEntry.Builder.sharedLabels}, the appender's MDC), from the entry to the envelope. */
class SharedLabelsTest {
  private final Pipeline pipeline = new Pipeline(new Source("orders", "orders-1", null, null, "run-1"), 1_000, 1_000,
      new Channel(StreamKind.LOGS, 16, OverflowPolicy.DROP_NEWEST, false), Redaction.defaults());

  @Test
  void aSharedMapIsTheEntrysLabelsAsItIsAndALabelAddedAfterGoesIntoACopy() {
    Map<String, String> shared = labels("tenant", "acme", "region", "eu");

    LogEntry asIs = LogEntry.builder(LogLevel.INFO, "m").sharedLabels(shared).build();
    LogEntry added = LogEntry.builder(LogLevel.INFO, "m").sharedLabels(shared).label("user", "u-1").build();
    LogEntry replaced = LogEntry.builder(LogLevel.INFO, "m").label("gone", "x").sharedLabels(shared).build();
    LogEntry ignored = LogEntry.builder(LogLevel.INFO, "m").label("kept", "y").sharedLabels(null).build();

    assertThat(asIs.labels()).isSameAs(shared);
    assertThat(added.labels()).containsExactlyEntriesOf(labels("tenant", "acme", "region", "eu", "user", "u-1"));
    assertThat(shared).containsExactlyEntriesOf(labels("tenant", "acme", "region", "eu"));
    assertThat(replaced.labels()).isSameAs(shared);
    assertThat(ignored.labels()).containsExactlyEntriesOf(labels("kept", "y"));
  }

  @Test
  void recordsSharingALabelsMapAreRedactedOnceAndAlikeAndOtherMapsOnTheirOwn() {
    Map<String, String> shared = labels("tenant", "acme", "user", "jane@example.com");
    Map<String, String> other = labels("tenant", "globex", "user", "john@example.com");

    LogEnvelope first = envelope(LogEntry.builder(LogLevel.INFO, "first").sharedLabels(shared).build());
    LogEnvelope second = envelope(LogEntry.builder(LogLevel.INFO, "second").sharedLabels(shared).build());
    LogEnvelope third = envelope(LogEntry.builder(LogLevel.INFO, "third").sharedLabels(other).build());
    LogEnvelope copied = envelope(LogEntry.builder(LogLevel.INFO, "fourth").labels(shared).build());
    LogEnvelope clean = envelope(LogEntry.builder(LogLevel.INFO, "fifth").sharedLabels(labels("tenant", "acme")).build());

    assertThat(first.labels()).containsExactlyEntriesOf(labels("tenant", "acme", "user", "[REDACTED]"));
    assertThat(second.labels()).isSameAs(first.labels());
    assertThat(third.labels()).containsExactlyEntriesOf(labels("tenant", "globex", "user", "[REDACTED]"));
    assertThat(copied.labels()).containsExactlyEntriesOf(labels("tenant", "acme", "user", "[REDACTED]"));
    assertThat(clean.labels()).containsExactlyEntriesOf(labels("tenant", "acme"));
  }

  private LogEnvelope envelope(LogEntry entry) {
    return (LogEnvelope) new LogItem(entry, 1, 1_700_000_000_000L, "main", null, null, "logs.events", null)
        .envelope(pipeline);
  }

  private static Map<String, String> labels(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
