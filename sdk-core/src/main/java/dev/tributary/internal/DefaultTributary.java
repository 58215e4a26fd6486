package dev.tributary.internal;

import dev.tributary.Correlation;
import dev.tributary.Counter;
import dev.tributary.DeliveryReport;
import dev.tributary.Gauge;
import dev.tributary.HealthCheck;
import dev.tributary.Histogram;
import dev.tributary.LogEntry;
import dev.tributary.MetricCollector;
import dev.tributary.MetricSample;
import dev.tributary.MetricType;
import dev.tributary.Registration;
import dev.tributary.StreamKind;
import dev.tributary.Tributary;
import dev.tributary.TributaryStats;
import dev.tributary.wire.HealthEnvelope;
import dev.tributary.wire.MetricEnvelope;
import dev.tributary.wire.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka-backed client. Callers' threads only capture and enqueue; the scheduler thread
 * collects metrics and evaluates health checks (user callbacks never run on the I/O thread); the
 * {@link IoWorker} thread encodes and sends.
 */
public final class DefaultTributary implements Tributary {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultTributary.class);
  private static final Pattern DOMAIN = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,100}");
  private static final int MAX_EVENT_DOMAINS = 1000;
  private static final Duration DROP_REPORT_INTERVAL = Duration.ofSeconds(10);
  private static final String[] NO_LABELS = new String[0];
  /** {@code sendMetric} instruments remembered; beyond this many names each call registers (still correct, slower). */
  private static final int MAX_QUICK_INSTRUMENTS = 10_000;

  private final ClientConfig config;
  private final Clock clock;
  private final Source source;
  private final String instanceKey;
  private final String logsKey;
  private final long startMillis;
  private final Channel metrics;
  private final Channel logs;
  private final Channel events;
  private final Channel health;
  private final Channel[] channels;
  private final Map<StreamKind, Channel> byKind = new EnumMap<>(StreamKind.class);
  private final MetricRegistry registry;
  private final CopyOnWriteArrayList<CollectorRegistration> collectors = new CopyOnWriteArrayList<>();
  private final HealthReporter healthReporter = new HealthReporter();
  private final ConcurrentHashMap<String, EventStream> eventStreams = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, QuickInstrument> quickInstruments = new ConcurrentHashMap<>();
  private final IoWorker worker;
  private final ScheduledExecutorService scheduler;
  private final ThreadFactory threadFactory;
  private final DropReporter dropReporter;
  private final RateLimiter logsLimiter;
  private final RateLimiter eventsLimiter;
  private final ThrottledLog throttled = new ThrottledLog(LOG, 60_000);
  private final Object lifecycle = new Object();
  private final Object collection = new Object();
  private volatile boolean closed;
  private DeliveryReport shutdownReport;
  private Thread shutdownHook;

  private DefaultTributary(ClientConfig config, Function<Boolean, Producer<String, byte[]>> producerFactory) {
    this.config = config;
    this.clock = config.clock();
    this.startMillis = clock.millis();
    this.source = new Source(config.serviceName(), config.instanceId(), config.serviceVersion(), config.environment(),
        UUID.randomUUID().toString());
    this.instanceKey = source.instanceKey();
    this.logsKey = config.logsKeyedByInstance() ? instanceKey : null;
    this.metrics = new Channel(StreamKind.METRICS, config.metricsBufferCapacity(), config.metricsOverflow(), false);
    this.logs = new Channel(StreamKind.LOGS, config.logsBufferCapacity(), config.logsOverflow(), false);
    this.events = new Channel(StreamKind.EVENTS, config.eventsBufferCapacity(), config.eventsOverflow(), true);
    this.health = new Channel(StreamKind.HEALTH, 64, dev.tributary.OverflowPolicy.DROP_OLDEST, false);
    // Order is drain priority: heartbeats and events first, bulk logs last.
    this.channels = new Channel[] {health, events, metrics, logs};
    for (Channel c : channels) {
      byKind.put(c.kind, c);
    }
    this.registry = new MetricRegistry(config.maxSeries(), config.maxSeriesPerMetric(), clock);
    Pipeline pipeline = new Pipeline(source, config.maxMessageChars(), config.maxStackTraceChars(), logs,
        config.redaction());
    this.worker = new IoWorker(channels, pipeline, config.maxRecordBytes(), producerFactory,
        config.producerProperties().containsKey(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), config.delivery());
    this.logsLimiter = RateLimiter.of(config.delivery().logsRateLimit(), config.delivery().logsRateBurst());
    this.eventsLimiter = RateLimiter.of(config.delivery().eventsRateLimit(), config.delivery().eventsRateBurst());
    this.threadFactory = config.threadFactory();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("tributary-scheduler-" + config.serviceName()));
    this.dropReporter = new DropReporter(channels);
    config.healthChecks().forEach(healthReporter::register);
  }

  /** Validated configuration in, running client out: threads start here, not in the constructor. */
  public static Tributary start(ClientConfig config) {
    return start(config, durable -> new KafkaProducer<>(durable
        ? ProducerProfiles.durable(config.bootstrapServers(), config.producerProperties(), clientId(config, "events"))
        : ProducerProfiles.throughput(config.bootstrapServers(), config.producerProperties(), clientId(config, "telemetry"))));
  }

  static DefaultTributary start(ClientConfig config, Function<Boolean, Producer<String, byte[]>> producerFactory) {
    DefaultTributary client = new DefaultTributary(config, producerFactory);
    client.startThreads();
    return client;
  }

  private static String clientId(ClientConfig config, String profile) {
    return "tributary-" + config.serviceName() + "-" + profile;
  }

  private void startThreads() {
    worker.start(threads("tributary-io-" + config.serviceName()).newThread(worker));
    long step = config.metricsStep().toMillis();
    long interval = config.healthInterval().toMillis();
    scheduler.scheduleAtFixedRate(guard("metrics", this::publishMetrics), step, step, TimeUnit.MILLISECONDS);
    scheduler.scheduleAtFixedRate(guard("health", () -> publishHeartbeat(false)), 0, interval, TimeUnit.MILLISECONDS);
    long report = DROP_REPORT_INTERVAL.toMillis();
    scheduler.scheduleAtFixedRate(guard("drops", dropReporter::report), report, report, TimeUnit.MILLISECONDS);
    if (config.shutdownHook()) {
      shutdownHook = new Thread(this::close, "tributary-shutdown-" + config.serviceName());
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    LOG.info("Tributary started: service={} instance={} run={} bootstrap={}", source.service(), source.instance(),
        source.runId(), config.bootstrapServers());
  }

  /** The sender identity of this client's envelopes. */
  public Source source() {
    return source;
  }

  // --- logs ----------------------------------------------------------------------------------

  @Override
  public boolean sendLog(LogEntry entry) {
    InternalThreads.State thread = InternalThreads.current();
    if (thread.internal || thread.inSend) {
      // Logged while delivering records (Kafka's client logging, our own warnings) or while shipping
      // one: shipping it would cause more of it. Refused, counted, never looped.
      logs.rejectedAtCall.increment();
      return false;
    }
    thread.inSend = true;
    try {
      return enqueueLog(entry);
    } finally {
      thread.inSend = false;
    }
  }

  private boolean enqueueLog(LogEntry entry) {
    try {
      if (entry == null || closed) {
        logs.rejectedAtCall.increment();
        return false;
      }
      if (logsLimiter != null && !logsLimiter.tryAcquire()) {
        logs.rejectedAtCall.increment();
        return false;
      }
      long timestamp = entry.timestamp() != 0 ? entry.timestamp() : clock.millis();
      String thread = entry.thread() != null ? entry.thread() : Thread.currentThread().getName();
      String correlationId = entry.correlationId() != null ? entry.correlationId() : Correlation.currentId();
      TraceContext trace = entry.traceId() != null ? null : TraceContext.current();
      LogItem item = new LogItem(entry, logs.seq.incrementAndGet(), timestamp, thread, correlationId, trace,
          config.logsTopic(), logsKey);
      boolean accepted = logs.offer(item);
      worker.nudge(logs);
      return accepted;
    } catch (RuntimeException e) {
      logs.rejectedAtCall.increment();
      return false;
    }
  }

  // --- events --------------------------------------------------------------------------------

  @Override
  public boolean sendEvent(String domain, String name, String entityId, Map<String, ?> attributes) {
    try {
      if (closed || name == null || name.isBlank()) {
        events.rejectedAtCall.increment();
        return false;
      }
      EventStream stream = eventStream(domain);
      if (stream == null) {
        events.rejectedAtCall.increment();
        return false;
      }
      if (eventsLimiter != null && !eventsLimiter.tryAcquire()) {
        events.rejectedAtCall.increment();
        return false;
      }
      Map<String, Object> copy = attributes == null || attributes.isEmpty() ? Map.of() : new LinkedHashMap<>(attributes);
      EventItem item = new EventItem(domain, name, entityId, copy, stream.topic, stream.seq.incrementAndGet(),
          clock.millis(), Correlation.currentId(), TraceContext.current());
      boolean accepted = events.offer(item);
      worker.nudge(events);
      return accepted;
    } catch (RuntimeException e) {
      events.rejectedAtCall.increment();
      return false;
    }
  }

  private EventStream eventStream(String domain) {
    if (domain == null) {
      return null;
    }
    EventStream stream = eventStreams.get(domain);
    if (stream != null) {
      return stream;
    }
    if (!DOMAIN.matcher(domain).matches()) {
      throttled.warn("domain", "Tributary: event domain '{}' is invalid (must match {}); event rejected (this warning"
          + " repeats at most once a minute)", domain, DOMAIN.pattern());
      return null;
    }
    if (eventStreams.size() >= MAX_EVENT_DOMAINS) {
      throttled.warn("domains", "Tributary: more than {} event domains; event for domain '{}' rejected", MAX_EVENT_DOMAINS,
          domain);
      return null;
    }
    return eventStreams.computeIfAbsent(domain, d -> new EventStream(config.eventTopic(d)));
  }

  /** One domain's topic and its sequence numbers: each event topic is its own stream. */
  private static final class EventStream {
    final String topic;
    final AtomicLong seq = new AtomicLong();

    EventStream(String topic) {
      this.topic = topic;
    }
  }

  // --- metrics -------------------------------------------------------------------------------

  @Override
  public Counter.Builder counter(String name) {
    return new InstrumentBuilders.CounterBuilder(registry, name);
  }

  @Override
  public Gauge.Builder gauge(String name) {
    return new InstrumentBuilders.GaugeBuilder(registry, name);
  }

  @Override
  public Histogram.Builder histogram(String name) {
    return new InstrumentBuilders.HistogramBuilder(registry, name);
  }

  @Override
  public boolean sendMetric(MetricType type, String name, double value, Map<String, String> labels) {
    try {
      if (type == null) {
        registry.rejectValue();
        return false;
      }
      String[] names = sortedLabelNames(labels);
      if (names == null) {
        registry.rejectValue();
        return false;
      }
      QuickInstrument known = name == null ? null : quickInstruments.get(name);
      Instrument<?> instrument;
      boolean clean = true;
      if (known != null && known.type == type && java.util.Arrays.equals(known.labelNames, names)) {
        instrument = known.instrument;
      } else {
        long rejectedBefore = registry.rejected() + registry.seriesRefused();
        instrument = register(type, name, names);
        if (instrument == null) {
          return false;
        }
        // Registered with a warning (e.g. other histogram buckets): recorded, reported as rejected, not remembered.
        clean = registry.rejected() + registry.seriesRefused() == rejectedBefore;
        if (clean && name != null && quickInstruments.size() < MAX_QUICK_INSTRUMENTS) {
          quickInstruments.put(name, new QuickInstrument(type, names, instrument));
        }
      }
      String[] values = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        values[i] = labels.get(names[i]);
      }
      Instrument.SeriesState series = instrument.series(values);
      return series != null && record(type, series, value) && clean;
    } catch (RuntimeException e) {
      registry.rejectValue();
      return false;
    }
  }

  /** The label names in sorted order (the instrument's label order); null if one is null. */
  private static String[] sortedLabelNames(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return NO_LABELS;
    }
    String[] names = new String[labels.size()];
    int n = 0;
    for (String key : labels.keySet()) {
      if (key == null || n == names.length) {
        return null;
      }
      names[n++] = key;
    }
    if (n != names.length) {
      return null;
    }
    java.util.Arrays.sort(names);
    return names;
  }

  /**
   * Registers (or finds) the instrument {@code sendMetric} records into; null if the registration
   * was rejected (counted). After the first clean registration of a name, kind and label names,
   * {@code sendMetric} finds it with one map lookup instead (no validation, sanitising, descriptor
   * or builder per call); a rejected registration is counted on every call, as before.
   */
  private Instrument<?> register(MetricType type, String name, String[] names) {
    Object built = switch (type) {
      case COUNTER -> counter(name).labelNames(names).build();
      case GAUGE -> gauge(name).labelNames(names).build();
      case HISTOGRAM -> histogram(name).labelNames(names).build();
    };
    return built instanceof Instrument<?> instrument ? instrument : null;
  }

  private boolean record(MetricType type, Instrument.SeriesState series, double value) {
    switch (type) {
      case COUNTER -> {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
          registry.rejectValue();
          return false;
        }
        ((Counter.Series) series).increment(value);
      }
      case GAUGE -> ((Gauge.Series) series).set(value);
      case HISTOGRAM -> {
        if (Double.isNaN(value)) {
          registry.rejectValue();
          return false;
        }
        ((Histogram.Series) series).observe(value);
      }
    }
    return true;
  }

  /** A {@code sendMetric} instrument, remembered by name. */
  private record QuickInstrument(MetricType type, String[] labelNames, Instrument<?> instrument) {}

  @Override
  public Registration registerCollector(MetricCollector collector) {
    if (collector == null) {
      return () -> {};
    }
    CollectorRegistration registration = new CollectorRegistration(collector);
    collectors.add(registration);
    return registration;
  }

  /** A collector's registration: closing it publishes its final state once, then removes it. */
  private final class CollectorRegistration implements Registration {
    private final MetricCollector collector;
    private final AtomicBoolean finished = new AtomicBoolean();

    CollectorRegistration(MetricCollector collector) {
      this.collector = collector;
    }

    void collectInto(Consumer<MetricSample> sink) {
      try {
        collector.collect(sink);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("Tributary: metric collector {} failed; skipping it this step", collector, e);
      }
    }

    @Override
    public void close() {
      // Under the collection lock: the final samples can neither be missed by nor precede the
      // client's own final step, nor be followed by an older scheduled collection.
      synchronized (collection) {
        if (!finished.compareAndSet(false, true)) {
          return;
        }
        collectors.remove(this);
        long now = clock.millis();
        collectInto(sample -> enqueueMetric(sample, now));
        worker.wake();
      }
    }
  }

  /** One metrics step; steps, collector finals and the client's final step never interleave. */
  private void publishMetrics() {
    synchronized (collection) {
      publishMetricsLocked();
    }
  }

  private void publishMetricsLocked() {
    long now = clock.millis();
    Consumer<MetricSample> sink = sample -> enqueueMetric(sample, now);
    registry.collect(sink);
    for (CollectorRegistration r : collectors) {
      r.collectInto(sink);
    }
    SelfMetrics.collect(this, startMillis, sink);
    worker.wake();
  }

  private void enqueueMetric(MetricSample s, long now) {
    if (!SampleValidation.isValid(s)) {
      registry.rejectValue();
      return;
    }
    MetricEnvelope envelope = new MetricEnvelope(now, source, "metrics", metrics.seq.incrementAndGet(), s.name(),
        s.kind(), s.help(), s.unit(), s.startTimestamp(), s.labels(), s.value(), s.histogram(), s.summary());
    metrics.offer(new Outbound.Prebuilt(envelope, config.metricsTopic(), instanceKey));
  }

  // --- health --------------------------------------------------------------------------------

  @Override
  public Registration registerHealthCheck(String name, HealthCheck check) {
    return healthReporter.register(name, check);
  }

  private void publishHeartbeat(boolean last) {
    long now = clock.millis();
    HealthReporter.Evaluation evaluation = last
        ? new HealthReporter.Evaluation(HealthEnvelope.Status.DOWN, Map.of())
        : healthReporter.evaluate();
    HealthEnvelope envelope = new HealthEnvelope(now, source, "health", health.seq.incrementAndGet(),
        evaluation.status(), startMillis, Math.max(0, now - startMillis), last ? 0 : config.healthInterval().toMillis(),
        evaluation.checks());
    health.offer(new Outbound.Prebuilt(envelope, config.healthTopic(), instanceKey));
    worker.wake();
  }

  // --- stats and lifecycle -------------------------------------------------------------------

  @Override
  public TributaryStats stats() {
    Map<StreamKind, TributaryStats.StreamStats> map = new EnumMap<>(StreamKind.class);
    for (Channel c : channels) {
      TributaryStats.StreamStats s = c.stats();
      if (c == metrics) {
        // Invalid metric input is rejected at the instruments, before the buffer.
        s = new TributaryStats.StreamStats(s.accepted(), s.sent(), s.dropped(), s.rejected() + registry.rejected(),
            s.failed(), s.queued(), s.truncated());
      }
      map.put(c.kind, s);
    }
    Map<StreamKind, Long> limited = new EnumMap<>(StreamKind.class);
    limited.put(StreamKind.LOGS, logsLimiter == null ? 0L : logsLimiter.limited());
    limited.put(StreamKind.EVENTS, eventsLimiter == null ? 0L : eventsLimiter.limited());
    Map<String, TributaryStats.CircuitStats> circuits = new java.util.HashMap<>();
    for (boolean durable : new boolean[] {false, true}) {
      CircuitBreaker b = worker.breaker(durable);
      circuits.put(b.producer(), new TributaryStats.CircuitStats(b.state(), b.opened(), b.consecutiveFailures()));
    }
    Map<StreamKind, TributaryStats.SpoolStats> spools = new EnumMap<>(StreamKind.class);
    for (StreamKind kind : StreamKind.values()) {
      Spooler spooler = worker.spooler(kind);
      if (spooler != null) {
        spools.put(kind, spooler.stats());
      }
    }
    return new TributaryStats(map, registry.seriesActive(), registry.seriesRefused(), limited, spools, circuits);
  }

  @Override
  public DeliveryReport flush(Duration timeout) {
    long deadline = System.nanoTime() + (timeout == null || timeout.isNegative() ? 0 : timeout.toNanos());
    long[] target = new long[channels.length];
    long[] pendingAtStart = new long[channels.length];
    long[] sentBefore = new long[channels.length];
    for (int i = 0; i < channels.length; i++) {
      sentBefore[i] = channels[i].sent.get();
      target[i] = channels[i].accepted.sum();
      pendingAtStart[i] = Math.max(0, target[i] - channels[i].completed());
    }
    worker.wake();
    while (!flushed(target) && System.nanoTime() - deadline < 0 && !worker.isTerminated()
        && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      worker.wake();
    }
    Map<StreamKind, Long> undelivered = new EnumMap<>(StreamKind.class);
    for (int i = 0; i < channels.length; i++) {
      long delivered = channels[i].sent.get() - sentBefore[i];
      undelivered.put(channels[i].kind, Math.max(0, pendingAtStart[i] - delivered));
    }
    return new DeliveryReport(undelivered);
  }

  private boolean flushed(long[] target) {
    for (int i = 0; i < channels.length; i++) {
      if (channels[i].completed() < target[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public DeliveryReport shutdown(Duration grace) {
    synchronized (lifecycle) {
      if (shutdownReport != null) {
        return shutdownReport;
      }
      long graceNanos = grace == null || grace.isNegative() ? 0 : grace.toNanos();
      long deadline = System.nanoTime() + graceNanos;
      closed = true;
      removeShutdownHook();
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(Math.min(graceNanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // The final partial step (every collector still registered) and the final DOWN heartbeat.
      try {
        synchronized (collection) {
          publishMetricsLocked();
          for (CollectorRegistration r : collectors) {
            r.finished.set(true);
          }
        }
        publishHeartbeat(true);
      } catch (RuntimeException e) {
        LOG.warn("Tributary: could not collect the final metrics and heartbeat", e);
      }
      long[] failedBefore = new long[channels.length];
      long[] abandonedBefore = new long[channels.length];
      for (int i = 0; i < channels.length; i++) {
        failedBefore[i] = channels[i].failed.get();
        abandonedBefore[i] = channels[i].abandoned.get();
      }
      worker.shutdown(deadline);
      boolean terminated;
      try {
        // The worker closes the producers by the deadline; allow a little for its own exit.
        terminated = worker.awaitTermination(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        terminated = worker.isTerminated();
      }
      Map<StreamKind, Long> undelivered = new EnumMap<>(StreamKind.class);
      for (int i = 0; i < channels.length; i++) {
        Channel c = channels[i];
        if (terminated) {
          // Records a racing caller added after the worker's last look.
          c.abandonRemaining();
        }
        // Events left in the spool are not lost, but not delivered either: the next start sends them.
        long lost = c.failed.get() - failedBefore[i] + c.abandoned.get() - abandonedBefore[i]
            + (terminated ? c.leftInSpool.get() : c.queued());
        undelivered.put(c.kind, lost);
      }
      shutdownReport = new DeliveryReport(undelivered);
      if (!terminated) {
        LOG.error("Tributary: the I/O thread did not stop within the grace period; {}", shutdownReport);
      } else if (shutdownReport.isComplete()) {
        LOG.info("Tributary closed: every buffered record was delivered");
      } else {
        LOG.warn("Tributary closed: {}", shutdownReport);
      }
      return shutdownReport;
    }
  }

  @Override
  public void close() {
    shutdown(config.closeTimeout());
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook is running or will run and find us closed.
      }
    }
  }

  Channel channel(StreamKind kind) {
    return byKind.get(kind);
  }

  MetricRegistry registry() {
    return registry;
  }

  private static Runnable guard(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        // A scheduled task that throws is never run again; keep it alive instead.
        LOG.warn("Tributary: {} task failed", what, t);
      }
    };
  }

  /** The injected thread factory, or named daemon threads: the client must never keep a JVM alive. */
  private ThreadFactory threads(String name) {
    if (threadFactory != null) {
      return threadFactory;
    }
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "Tributary{" + source.service() + "/" + source.instance() + ", " + config.bootstrapServers() + "}";
  }
}
