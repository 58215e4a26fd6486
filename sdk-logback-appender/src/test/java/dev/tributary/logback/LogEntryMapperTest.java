package dev.tributary.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.tributary.LogEntry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/** The MDC and marker mapping in detail, without a broker (the round trip through Kafka is in TributaryAppenderTest). */
class LogEntryMapperTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void mdcKeysForCorrelationTraceAndSpanBecomeTheirFieldsAndTheRestLabels() {
    LogEntry e = new LogEntryMapper("correlation_id", "trace_id", "span_id", false).map(event(mdc(
        "tenant", "acme", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7",
        "trace_flags", "01", "correlation_id", "corr-7", "http.method", "POST")));

    assertThat(e.correlationId()).isEqualTo("corr-7");
    assertThat(e.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(e.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(e.labels()).containsExactlyEntriesOf(mdc("tenant", "acme", "http_method", "POST"));
  }

  @Test
  void aSpanIdWithoutATraceIdIsDroppedNotALabel() {
    LogEntry e = new LogEntryMapper("correlation_id", "trace_id", "span_id", false).map(event(mdc(
        "span_id", "00f067aa0ba902b7", "tenant", "acme")));

    assertThat(e.traceId()).isNull();
    assertThat(e.spanId()).isNull();
    assertThat(e.labels()).containsExactlyEntriesOf(mdc("tenant", "acme"));
  }

  @Test
  void aKeyConfiguredForTwoRolesTakesTheFirstOfCorrelationTraceSpan() {
    LogEntry sharedWithCorrelation = new LogEntryMapper("id", "id", "span_id", false).map(event(mdc(
        "id", "x", "span_id", "00f067aa0ba902b7")));
    LogEntry spanSharedWithTrace = new LogEntryMapper("correlation_id", "id", "id", false).map(event(mdc("id", "y")));

    assertThat(sharedWithCorrelation.correlationId()).isEqualTo("x");
    assertThat(sharedWithCorrelation.traceId()).isNull();
    assertThat(spanSharedWithTrace.traceId()).isEqualTo("y");
    assertThat(spanSharedWithTrace.spanId()).isNull();
    assertThat(spanSharedWithTrace.labels()).isEmpty();
  }

  @Test
  void eventsOfOneMdcSnapshotShareItsLabelsAndAnotherSnapshotIsReadAfresh() {
    LogEntryMapper mapper = new LogEntryMapper("correlation_id", "trace_id", "span_id", false);
    LogEntryMapper.MdcSnapshot last = new LogEntryMapper.MdcSnapshot();
    Map<String, String> first = Collections.unmodifiableMap(mdc(
        "tenant", "acme", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));
    Map<String, String> second = Collections.unmodifiableMap(mdc("tenant", "globex", "correlation_id", "corr-8"));

    LogEntry a = mapper.map(event(first), last);
    LogEntry b = mapper.map(event(first), last);
    LogEntry c = mapper.map(event(second), last);
    LogEntry d = mapper.map(event(Map.of()), last);
    LogEntry e = mapper.map(event(first), last);

    assertThat(a.labels()).containsExactlyEntriesOf(mdc("tenant", "acme"));
    assertThat(b.labels()).as("the same snapshot: one labels map").isSameAs(a.labels());
    assertThat(List.of(a.traceId(), a.spanId(), b.traceId(), b.spanId())).containsExactly(
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    assertThat(a.correlationId()).isNull();
    assertThat(c.labels()).containsExactlyEntriesOf(mdc("tenant", "globex"));
    assertThat(c.correlationId()).isEqualTo("corr-8");
    assertThat(c.traceId()).isNull();
    assertThat(c.spanId()).isNull();
    assertThat(d.labels()).isEmpty();
    assertThat(d.correlationId()).isNull();
    assertThat(d.traceId()).isNull();
    assertThat(e.labels()).containsExactlyEntriesOf(mdc("tenant", "acme"));
    assertThat(e.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(e.correlationId()).isNull();
  }

  @Test
  void markersBecomeTagsWithTheirReferencesEachNameOnce() {
    Marker audit = MarkerFactory.getDetachedMarker("AUDIT");
    audit.add(MarkerFactory.getDetachedMarker("PII"));
    audit.add(audit); // a cycle
    LoggingEvent several = event(Map.of());
    several.addMarker(audit);
    several.addMarker(MarkerFactory.getDetachedMarker("PII"));
    several.addMarker(MarkerFactory.getDetachedMarker("BILLING"));
    LoggingEvent one = event(Map.of());
    one.addMarker(MarkerFactory.getDetachedMarker("AUDIT"));
    LoggingEvent referencing = event(Map.of());
    referencing.addMarker(audit);

    LogEntryMapper mapper = new LogEntryMapper("correlation_id", "trace_id", "span_id", false);
    assertThat(mapper.map(several).tags()).containsExactly("AUDIT", "PII", "BILLING");
    assertThat(mapper.map(one).tags()).containsExactly("AUDIT");
    assertThat(mapper.map(referencing).tags()).containsExactly("AUDIT", "PII");
    assertThat(mapper.map(event(Map.of())).tags()).isEmpty();
  }

  private LoggingEvent event(Map<String, String> mdc) {
    LoggingEvent e = new LoggingEvent(getClass().getName(), context.getLogger("com.acme.Orders"), Level.INFO, "hello", null,
        null);
    e.setMDCPropertyMap(mdc);
    return e;
  }

  private static Map<String, String> mdc(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
