package dev.tributary.logback;

/** logback.xml text for tests: one Tributary appender at the root, with a collecting fallback. */
final class AppenderXml {
  private AppenderXml() {}

  /** {@code settings} are the appender's child elements; {@code ${bootstrap}} is a context property. */
  static String withFallback(String settings) {
    return """
        <configuration>
          <appender name="FALLBACK" class="dev.tributary.logback.CollectingAppender"/>
          <appender name="TRIBUTARY" class="dev.tributary.logback.TributaryAppender">
            %s
            <appender-ref ref="FALLBACK"/>
          </appender>
          <root level="DEBUG"><appender-ref ref="TRIBUTARY"/></root>
        </configuration>
        """.formatted(settings);
  }

  /** The client settings every test needs, plus {@code more}. */
  static String client(String service, String topic, String more) {
    return """
        <bootstrapServers>${bootstrap}</bootstrapServers>
        <serviceName>%s</serviceName>
        <instanceId>%s-1</instanceId>
        <topic>%s</topic>
        %s
        """.formatted(service, service, topic, more);
  }
}
