package dev.tributary.logback;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** Private Logback contexts configured from XML with Joran, as an application's would be. */
final class LogbackContexts {
  private LogbackContexts() {}

  static LoggerContext configure(String xml, Map<String, String> properties) {
    return configure(new ByteArrayInputStream(xml.getBytes(UTF_8)), properties);
  }

  static LoggerContext configure(InputStream xml, Map<String, String> properties) {
    LoggerContext context = new LoggerContext();
    // Share SLF4J's MDC, so that MDC.put in a test reaches this context's events.
    context.setMDCAdapter(MDC.getMDCAdapter());
    properties.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      throw new AssertionError("configuration failed: " + statuses(context, Status.INFO), e);
    }
    return context;
  }

  static TributaryAppender appender(LoggerContext context, String name) {
    return (TributaryAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(name);
  }

  static CollectingAppender fallback(TributaryAppender appender, String name) {
    return (CollectingAppender) appender.getAppender(name);
  }

  /** Messages of the context's statuses at or above {@code level}. */
  static List<String> statuses(LoggerContext context, int level) {
    return context.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getLevel() >= level)
        .map(Status::getMessage)
        .toList();
  }
}
