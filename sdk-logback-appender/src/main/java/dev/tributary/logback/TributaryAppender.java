package dev.tributary.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.Duration;
import dev.tributary.Correlation;
import dev.tributary.Tributary;
import dev.tributary.TributaryStats;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Logback appender that ships log events to Kafka as Tributary's ECS log envelopes, without ever
 * blocking the logging thread.
 *
 * <pre>{@code
 * <appender name="TRIBUTARY" class="dev.tributary.logback.TributaryAppender">
 *   <bootstrapServers>kafka-1:9092,kafka-2:9092</bootstrapServers>
 *   <serviceName>checkout</serviceName>
 *   <producerProperty>security.protocol=SSL</producerProperty>
 *   <redactionFields>password,iban,cvv</redactionFields>
 *   <redactionPattern>iban=\bDE\d{20}\b</redactionPattern>
 *   <appender-ref ref="CONSOLE"/>   <!-- optional fallback -->
 * </appender>
 * }</pre>
 *
 * <h2>Which client</h2>
 * In order of precedence: a client set in code with {@link #setClient}; a client the application
 * registers in {@link TributaryClients} under {@code clientRef} (events logged before it is
 * registered are held, up to {@code pendingCapacity}); otherwise the appender builds its own client
 * from its settings, on top of the environment ({@code tributary.*} system properties,
 * {@code TRIBUTARY_*} variables, see {@link Tributary#fromEnvironment()}). Only a client the
 * appender built is closed when it stops; a shared one is flushed.
 *
 * <h2>Never blocks, never loops</h2>
 * Events are mapped on the logging thread and put into the client's bounded buffer; only the
 * client's I/O thread talks to Kafka. Events of the {@code org.apache.kafka}, {@code kafka} and
 * {@code dev.tributary} loggers (and any added with {@code excludeLogger}) are never shipped, and
 * an event logged on a thread that is already inside this appender is never shipped either. What
 * is not shipped goes to the fallback appenders ({@code <appender-ref>}), if any, and is counted.
 *
 * <h2>Stop</h2>
 * {@link #stop()} (on {@code LoggerContext} stop, Logback's shutdown hook, or Spring Boot's
 * shutdown) delivers what is buffered within {@code closeTimeout} and reports what it could not
 * through Logback's status system. Configuration problems are reported there too, never thrown.
 */
public final class TributaryAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  /** Default {@code closeTimeout}: 5 seconds. */
  public static final java.time.Duration DEFAULT_CLOSE_TIMEOUT = java.time.Duration.ofSeconds(5);
  /** Default {@code pendingCapacity}, in events: {@value}. */
  public static final int DEFAULT_PENDING_CAPACITY = 2048;
  /** Default {@code traceIdMdcKey}, as OpenTelemetry's Logback MDC instrumentation names it: {@value}. */
  public static final String DEFAULT_TRACE_ID_MDC_KEY = "trace_id";
  /** Default {@code spanIdMdcKey}, as OpenTelemetry's Logback MDC instrumentation names it: {@value}. */
  public static final String DEFAULT_SPAN_ID_MDC_KEY = "span_id";

  private static final long DROP_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  // Per-thread re-entrancy state: not inside this appender, mapping/shipping, inside a fallback appender.
  private static final int IDLE = 0;
  private static final int SHIPPING = 1;
  private static final int IN_FALLBACK = 2;

  private final ClientSettings settings = new ClientSettings();
  private final LoggerExclusions exclusions = new LoggerExclusions();
  private final AppenderAttachableImpl<ILoggingEvent> fallbacks = new AppenderAttachableImpl<>();
  private final AppenderCounters counters = new AppenderCounters();
  private final ThreadLocal<ThreadState> threadState = ThreadLocal.withInitial(ThreadState::new);
  private final AtomicLong nextDropWarningNanos = new AtomicLong(System.nanoTime());
  private long droppedAtLastWarning;

  private Tributary client;
  private String clientRef;
  private Duration closeTimeout = Duration.buildByMilliseconds(DEFAULT_CLOSE_TIMEOUT.toMillis());
  private boolean includeCallerData;
  private int pendingCapacity = DEFAULT_PENDING_CAPACITY;
  private String correlationIdMdcKey = Correlation.MDC_KEY;
  private String traceIdMdcKey = DEFAULT_TRACE_ID_MDC_KEY;
  private String spanIdMdcKey = DEFAULT_SPAN_ID_MDC_KEY;

  private volatile LogEntryMapper mapper;
  private volatile ClientBinding binding;
  /** Whether the context's MDC maps are snapshots that never change (Logback's own MDC adapter). */
  private volatile boolean mdcSnapshots;

  /** One thread's state in this appender, behind one thread-local look-up per event. */
  private static final class ThreadState {
    /** {@link #IDLE}, {@link #SHIPPING} or {@link #IN_FALLBACK}. */
    int reentry = IDLE;
    final LogEntryMapper.MdcSnapshot lastMdc = new LogEntryMapper.MdcSnapshot();
  }

  /** Creates an appender; configure it with the setters (Joran does, from {@code logback.xml}), then {@link #start()}. */
  public TributaryAppender() {}

  // --- lifecycle -----------------------------------------------------------------------------

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    counters.appenderName(getName());
    mapper = new LogEntryMapper(correlationIdMdcKey, traceIdMdcKey, spanIdMdcKey, includeCallerData);
    mdcSnapshots = getContext() instanceof LoggerContext lc && lc.getMDCAdapter() instanceof LogbackMDCAdapter;
    try {
      binding = bind();
      addInfo(prefix() + "ships logs through " + binding.describe());
    } catch (RuntimeException e) {
      // Still start: the fallback appenders then receive every event, and the error says why.
      binding = null;
      addError(prefix() + "cannot build the Tributary client: " + e.getMessage()
          + "; no event will be shipped, events go to the fallback appenders only", e);
    }
    super.start();
  }

  private ClientBinding bind() {
    if (client != null) {
      ignoredSettings("a client was set in code");
      return ClientBinding.shared(client, counters);
    }
    if (clientRef != null) {
      ignoredSettings("clientRef is set");
      return ClientBinding.byName(clientRef, pendingCapacity, new ClientBinding.HeldOutcomes() {
        @Override
        public void shipped() {
          counters.shipped.increment();
        }

        @Override
        public void refused(ILoggingEvent event) {
          counters.dropped.increment();
          toFallback(event);
        }
      }, counters);
    }
    return ClientBinding.owned(settings.build(closeTimeout()), counters);
  }

  private void ignoredSettings(String why) {
    if (settings.anySet()) {
      addWarn(prefix() + why + ": the client settings in this appender's configuration are ignored");
    }
    if (settings.anyRedactionSet()) {
      // Said on its own: someone relying on these rules must learn that they do not protect this data.
      addWarn(prefix() + why + ": the redaction settings in this appender's configuration do not apply;"
          + " the shared client redacts with the rules it was built with");
    }
  }

  /**
   * Delivers what is buffered within {@code closeTimeout}, closes the client if the appender built
   * it (a shared one is only flushed), reports undelivered records through the status system, then
   * stops the fallback appenders.
   */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    ClientBinding b = binding;
    if (b != null) {
      // Still started meanwhile: what is logged during the flush (the SDK's own closing lines
      // included) reaches the fallback appenders.
      ClientBinding.Result result = b.stop(closeTimeout());
      for (ILoggingEvent event : result.neverShipped()) {
        counters.dropped.increment();
        toFallback(event);
      }
      long undelivered = result.undeliveredLogs();
      if (undelivered == 0) {
        addInfo(prefix() + "stopped; every accepted log record was delivered (" + counters + ")");
      } else {
        addWarn(prefix() + "stopped; " + undelivered + " log record(s) were not delivered within closeTimeout "
            + closeTimeout + " (" + counters + ")");
      }
    }
    super.stop();
    fallbacks.detachAndStopAllAppenders();
  }

  // --- the logging path ----------------------------------------------------------------------

  /**
   * Replaces the base class's re-entrancy guard, which drops re-entrant events silently, with one
   * that counts them and, unless they come from a fallback appender, hands them to the fallbacks.
   */
  @Override
  public void doAppend(ILoggingEvent event) {
    ThreadState state = threadState.get();
    if (state.reentry != IDLE) {
      counters.recursive.increment();
      if (state.reentry == SHIPPING) {
        fallback(event, state);
      }
      return;
    }
    state.reentry = SHIPPING;
    try {
      if (getFilterChainDecision(event) != FilterReply.DENY) {
        append(event, state);
      }
    } catch (RuntimeException | LinkageError e) {
      // Never into the application: count it, say so through the status system, keep the event.
      counters.dropped.increment();
      addError(prefix() + "failed to process an event", e);
      fallback(event, state);
    } finally {
      state.reentry = IDLE;
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    doAppend(event);
  }

  private void append(ILoggingEvent event, ThreadState state) {
    if (exclusions.excludes(event.getLoggerName())) {
      counters.excluded.increment();
      fallback(event, state);
      return;
    }
    ClientBinding b = binding;
    if (!started || b == null) {
      counters.dropped.increment();
      fallback(event, state);
      return;
    }
    switch (b.send(mapper.map(event, mdcSnapshots ? state.lastMdc : null), event)) {
      case ACCEPTED -> counters.shipped.increment();
      case HELD -> { /* counted when handed over, or at stop */ }
      case REFUSED -> {
        counters.dropped.increment();
        warnDrops();
        fallback(event, state);
      }
    }
  }

  private void fallback(ILoggingEvent event, ThreadState state) {
    int previous = state.reentry;
    state.reentry = IN_FALLBACK;
    try {
      if (fallbacks.appendLoopOnAppenders(event) > 0) {
        counters.fallback.increment();
      }
    } finally {
      state.reentry = previous;
    }
  }

  /** From a thread that is not inside {@link #doAppend} (the registering or the stopping one). */
  private void toFallback(ILoggingEvent event) {
    fallback(event, threadState.get());
  }

  /** At most one status warning per interval while events are dropped, with the count since the last. */
  private void warnDrops() {
    long now = System.nanoTime();
    long next = nextDropWarningNanos.get();
    if (now - next < 0 || !nextDropWarningNanos.compareAndSet(next, now + DROP_WARNING_INTERVAL_NANOS)) {
      return;
    }
    long total = counters.dropped.sum();
    long since = total - droppedAtLastWarning;
    droppedAtLastWarning = total;
    addWarn(prefix() + "dropped " + since + " log event(s) since the last warning (" + total
        + " in all): the client's buffer is full or the client is closed; dropped events go to the fallback"
        + " appenders, if any");
  }

  private String prefix() {
    return "TributaryAppender[" + getName() + "]: ";
  }

  private java.time.Duration closeTimeout() {
    return java.time.Duration.ofMillis(closeTimeout.getMilliseconds());
  }

  // --- self-counters -------------------------------------------------------------------------

  /** Events accepted into the client's buffer. */
  public long getShippedCount() {
    return counters.shipped.sum();
  }

  /** Events the client refused (buffer full with drop-newest, client closed or missing), or held too long. */
  public long getDroppedCount() {
    return counters.dropped.sum();
  }

  /** Events of excluded loggers (Kafka, Tributary, {@code excludeLogger}). */
  public long getExcludedCount() {
    return counters.excluded.sum();
  }

  /** Events logged on a thread that was already inside this appender. */
  public long getRecursiveCount() {
    return counters.recursive.sum();
  }

  /** Events handed to the fallback appenders (a subset of dropped, excluded and recursive). */
  public long getFallbackCount() {
    return counters.fallback.sum();
  }

  /**
   * The counters of the client the appender ships through (its records dropped by the overflow
   * policy, sent, failed), or {@code null} while it waits for a shared client or is not started.
   */
  public TributaryStats getClientStats() {
    ClientBinding b = binding;
    Tributary c = b == null ? null : b.client();
    return c == null ? null : c.stats();
  }

  // --- client settings -----------------------------------------------------------------------

  /** Kafka bootstrap servers, {@code host:port[,host:port]}. Default: the environment's; required for an own client. */
  public void setBootstrapServers(String bootstrapServers) {
    settings.bootstrapServers = trimToNull(bootstrapServers);
  }

  public String getBootstrapServers() {
    return settings.bootstrapServers;
  }

  /** The service name ({@code service.name}). Default: the environment's; required for an own client. */
  public void setServiceName(String serviceName) {
    settings.serviceName = trimToNull(serviceName);
  }

  public String getServiceName() {
    return settings.serviceName;
  }

  /** The service version ({@code service.version}). Optional. */
  public void setServiceVersion(String serviceVersion) {
    settings.serviceVersion = trimToNull(serviceVersion);
  }

  public String getServiceVersion() {
    return settings.serviceVersion;
  }

  /** The deployment environment ({@code service.environment}). Optional. */
  public void setEnvironment(String environment) {
    settings.environment = trimToNull(environment);
  }

  public String getEnvironment() {
    return settings.environment;
  }

  /** This instance's id ({@code service.node.name}). Default: the SDK's ({@code HOSTNAME}, else host-pid). */
  public void setInstanceId(String instanceId) {
    settings.instanceId = trimToNull(instanceId);
  }

  public String getInstanceId() {
    return settings.instanceId;
  }

  /** The logs topic. Default {@code logs.events}. */
  public void setTopic(String topic) {
    settings.topic = trimToNull(topic);
  }

  public String getTopic() {
    return settings.topic;
  }

  /** Capacity of the client's log buffer, in records. Default 8192. */
  public void setBufferCapacity(int capacity) {
    if (capacity <= 0) {
      addError(prefix() + "bufferCapacity must be positive, was " + capacity + "; keeping the default");
      return;
    }
    settings.bufferCapacity = capacity;
  }

  public Integer getBufferCapacity() {
    return settings.bufferCapacity;
  }

  /**
   * What a full buffer does: {@code drop-newest} (default), {@code drop-oldest}, or {@code spill}
   * (with {@link #setSpoolDir}: while Kafka is unreachable or slow, the client spills log records to
   * that directory and sends them from there; the SDK's {@code logs.overflow=spill}).
   */
  public void setOverflowPolicy(String policy) {
    var parsed = ClientSettings.parsePolicy(policy);
    if (parsed == null) {
      addError(prefix() + "overflowPolicy must be drop-newest, drop-oldest or spill, was '" + policy
          + "'; keeping the default");
      return;
    }
    settings.overflowPolicy = parsed;
  }

  /** The directory {@code overflowPolicy=spill} spills to (the SDK's {@code logs.spool.dir}). Default none. */
  public void setSpoolDir(String dir) {
    settings.spoolDir = trimToNull(dir);
  }

  public String getSpoolDir() {
    return settings.spoolDir;
  }

  public String getOverflowPolicy() {
    return settings.overflowPolicy == null ? null : settings.overflowPolicy.name();
  }

  /** Key records by {@code service/instance} (per-instance order) instead of unkeyed. Default false. */
  public void setKeyByInstance(boolean keyByInstance) {
    settings.keyByInstance = keyByInstance;
  }

  public boolean isKeyByInstance() {
    return Boolean.TRUE.equals(settings.keyByInstance);
  }

  /** A Kafka producer property, {@code name=value}; repeat the element for more. */
  public void addProducerProperty(String property) {
    int eq = property == null ? -1 : property.indexOf('=');
    if (eq <= 0) {
      // "=value" is not echoed: the value may be a password (sasl.jaas.config, ssl.*.password).
      addError(prefix() + "producerProperty must be name=value, was '" + (eq < 0 ? property : "=...") + "'; ignored");
      return;
    }
    settings.producerProperties.put(property.substring(0, eq).trim(), property.substring(eq + 1).trim());
  }

  /** The same as {@link #addProducerProperty}, under logback-kafka-appender's name, for migration. */
  public void addProducerConfig(String property) {
    addProducerProperty(property);
  }

  /** The producer properties set so far. */
  public java.util.Map<String, String> getProducerProperties() {
    return java.util.Map.copyOf(settings.producerProperties);
  }

  /** Longer messages are truncated (and counted). Default 32768 characters. */
  public void setMaxMessageChars(int chars) {
    settings.maxMessageChars = chars;
  }

  /** Longer stack traces are truncated (and counted). Default 16384 characters. */
  public void setMaxStackTraceChars(int chars) {
    settings.maxStackTraceChars = chars;
  }

  public Integer getMaxStackTraceChars() {
    return settings.maxStackTraceChars;
  }

  /** Log records per second the client accepts; more are dropped (to the fallback) and counted. Default: the SDK's. */
  public void setRateLimit(long recordsPerSecond) {
    settings.rateLimit = recordsPerSecond;
  }

  /** Log records accepted at once above {@code rateLimit}. Default: the SDK's. */
  public void setRateBurst(long records) {
    settings.rateBurst = records;
  }

  /** How long {@link #stop()} may take to deliver what is buffered. Default 5 seconds. */
  public void setCloseTimeout(Duration closeTimeout) {
    if (closeTimeout == null || closeTimeout.getMilliseconds() <= 0) {
      addError(prefix() + "closeTimeout must be positive, was " + closeTimeout + "; keeping the default");
      return;
    }
    this.closeTimeout = closeTimeout;
  }

  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  // --- redaction (the SDK's redaction.* keys, applied on top of the environment's) --------------

  /**
   * The built-in detectors: {@code card,email} (the SDK's default), {@code card}, {@code email} or
   * {@code none}; key {@code redaction.builtin}. Replaces the environment's value.
   */
  public void setRedactionBuiltin(String builtin) {
    settings.redaction.put(ClientSettings.REDACTION_BUILTIN, builtin == null ? "" : builtin.trim());
  }

  public String getRedactionBuiltin() {
    return settings.redaction.get(ClientSettings.REDACTION_BUILTIN);
  }

  /**
   * Comma-separated field names whose values are replaced whole, in log fields (key-value pairs)
   * and labels (MDC), compared ignoring case and {@code _ - .}; key {@code redaction.fields}.
   * Added to the environment's.
   */
  public void setRedactionFields(String fields) {
    settings.redaction.put(ClientSettings.REDACTION_FIELDS, fields == null ? "" : fields.trim());
  }

  public String getRedactionFields() {
    return settings.redaction.get(ClientSettings.REDACTION_FIELDS);
  }

  /**
   * A value pattern, {@code name=regex} ({@code java.util.regex}): every match in messages, label
   * and field values and exception text is replaced; key {@code redaction.pattern.<name>}. Repeat the
   * element for more; added to the environment's. A pattern that is malformed, does not compile or
   * matches the empty string stops the appender from shipping at all (reported as an error).
   */
  public void addRedactionPattern(String namedPattern) {
    settings.redactionPattern(namedPattern);
  }

  /** The redaction patterns set so far, by name. */
  public java.util.Map<String, String> getRedactionPatterns() {
    java.util.Map<String, String> patterns = new java.util.LinkedHashMap<>();
    settings.redaction.forEach((key, value) -> {
      if (key.startsWith(ClientSettings.REDACTION_PATTERN)) {
        patterns.put(key.substring(ClientSettings.REDACTION_PATTERN.length()), value);
      }
    });
    return java.util.Collections.unmodifiableMap(patterns);
  }

  /** What redacted text and values become; key {@code redaction.replacement}. Default {@code [REDACTED]}. */
  public void setRedactionReplacement(String replacement) {
    settings.redaction.put(ClientSettings.REDACTION_REPLACEMENT, replacement == null ? "" : replacement);
  }

  public String getRedactionReplacement() {
    return settings.redaction.get(ClientSettings.REDACTION_REPLACEMENT);
  }

  // --- appender settings ---------------------------------------------------------------------

  /** Ship the caller's file, line and method ({@code log.origin.*}); costs a stack walk per event. Default false. */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }

  public boolean isIncludeCallerData() {
    return includeCallerData;
  }

  /** Ship through the client the application registers under this name in {@link TributaryClients}. */
  public void setClientRef(String clientRef) {
    this.clientRef = trimToNull(clientRef);
  }

  public String getClientRef() {
    return clientRef;
  }

  /** Ship through this client (configuration in code); the appender never closes it. */
  public void setClient(Tributary client) {
    this.client = client;
  }

  /** Events held while waiting for the {@code clientRef} client; more are dropped (to the fallback). Default 2048. */
  public void setPendingCapacity(int pendingCapacity) {
    if (pendingCapacity <= 0) {
      addError(prefix() + "pendingCapacity must be positive, was " + pendingCapacity + "; keeping the default");
      return;
    }
    this.pendingCapacity = pendingCapacity;
  }

  public int getPendingCapacity() {
    return pendingCapacity;
  }

  /** Never ship this logger's events, nor its descendants'; repeat the element for more. */
  public void addExcludeLogger(String loggerName) {
    exclusions.add(loggerName);
  }

  /** The excluded logger hierarchies, the defaults included. */
  public List<String> getExcludedLoggers() {
    return exclusions.prefixes();
  }

  /** The MDC key whose value becomes {@code correlation.id}. Default {@code correlation_id}. */
  public void setCorrelationIdMdcKey(String key) {
    this.correlationIdMdcKey = trimToNull(key);
  }

  /** The MDC key whose value becomes {@code trace.id}. Default {@code trace_id}. */
  public void setTraceIdMdcKey(String key) {
    this.traceIdMdcKey = trimToNull(key);
  }

  /** The MDC key whose value becomes {@code span.id}. Default {@code span_id}. */
  public void setSpanIdMdcKey(String key) {
    this.spanIdMdcKey = trimToNull(key);
  }

  private static String trimToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  // --- fallback appenders --------------------------------------------------------------------

  /** Adds a fallback appender: it receives the events that are not shipped. */
  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    if (appender == this) {
      addError(prefix() + "an appender cannot be its own fallback; ignored");
      return;
    }
    addInfo(prefix() + "attaching fallback appender [" + appender.getName() + "]");
    fallbacks.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return fallbacks.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return fallbacks.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return fallbacks.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    fallbacks.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return fallbacks.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return fallbacks.detachAppender(name);
  }
}
