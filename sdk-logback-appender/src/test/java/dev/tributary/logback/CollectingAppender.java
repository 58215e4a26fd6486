package dev.tributary.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** A fallback appender for tests: counts every event and keeps the first few thousand. */
public class CollectingAppender extends AppenderBase<ILoggingEvent> {
  private static final int KEPT = 5_000;
  private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
  private final AtomicLong count = new AtomicLong();

  @Override
  protected void append(ILoggingEvent event) {
    if (count.incrementAndGet() <= KEPT) {
      event.prepareForDeferredProcessing();
      events.add(event);
    }
  }

  public long count() {
    return count.get();
  }

  public List<ILoggingEvent> events() {
    return new ArrayList<>(events);
  }

  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
