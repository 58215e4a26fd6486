package dev.tributary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One log record to publish with {@link Tributary#sendLog(LogEntry)}. Immutable once built.
 *
 * <p>Optional parts default sensibly: the timestamp to the client's clock at send time, the thread
 * to the calling thread, the correlation id to the current {@link Correlation} scope and the trace
 * context to the current OpenTelemetry span. Set them explicitly when the record was captured
 * elsewhere (a logging framework's event, another thread).
 */
public final class LogEntry {
  private final LogLevel level;
  private final String message;
  private final long timestamp;
  private final String logger;
  private final String thread;
  private final Map<String, String> labels;
  private final Map<String, Object> fields;
  private final List<String> tags;
  private final Throwable error;
  private final String originFile;
  private final int originLine;
  private final String originFunction;
  private final String correlationId;
  private final String traceId;
  private final String spanId;

  private LogEntry(Builder b) {
    this.level = b.level;
    this.message = b.message;
    this.timestamp = b.timestamp;
    this.logger = b.logger;
    this.thread = b.thread;
    this.labels = b.sharedLabels != null ? b.sharedLabels
        : b.labels == null ? Map.of() : Collections.unmodifiableMap(b.labels);
    this.fields = b.fields == null ? Map.of() : Collections.unmodifiableMap(b.fields);
    this.tags = b.tags == null ? List.of() : Collections.unmodifiableList(b.tags);
    this.error = b.error;
    this.originFile = b.originFile;
    this.originLine = b.originLine;
    this.originFunction = b.originFunction;
    this.correlationId = b.correlationId;
    this.traceId = b.traceId;
    this.spanId = b.spanId;
  }

  /**
   * Starts a record. A {@code null} level is published as INFO and a {@code null} message as the
   * empty string (counted as sanitised input, never an exception).
   */
  public static Builder builder(LogLevel level, String message) {
    return new Builder(level, message);
  }

  public LogLevel level() {
    return level;
  }

  public String message() {
    return message;
  }

  /** Epoch milliseconds, or {@code 0} to use the client's clock at send time. */
  public long timestamp() {
    return timestamp;
  }

  public String logger() {
    return logger;
  }

  /** The thread name, or {@code null} to use the sending thread's. */
  public String thread() {
    return thread;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Map<String, Object> fields() {
    return fields;
  }

  public List<String> tags() {
    return tags;
  }

  public Throwable error() {
    return error;
  }

  public String originFile() {
    return originFile;
  }

  public int originLine() {
    return originLine;
  }

  public String originFunction() {
    return originFunction;
  }

  /** The correlation id, or {@code null} to use the current {@link Correlation} scope's. */
  public String correlationId() {
    return correlationId;
  }

  /** The W3C trace id, or {@code null} to use the current OpenTelemetry span's. */
  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  /** Builds a {@link LogEntry}. Not thread-safe. */
  public static final class Builder {
    private final LogLevel level;
    private final String message;
    private long timestamp;
    private String logger;
    private String thread;
    private Map<String, String> labels;
    /** Set by {@link #sharedLabels}: used as it is until a label is added. */
    private Map<String, String> sharedLabels;
    private Map<String, Object> fields;
    private List<String> tags;
    private Throwable error;
    private String originFile;
    private int originLine;
    private String originFunction;
    private String correlationId;
    private String traceId;
    private String spanId;

    private Builder(LogLevel level, String message) {
      this.level = level == null ? LogLevel.INFO : level;
      this.message = message == null ? "" : message;
    }

    /** When the event happened, epoch milliseconds. */
    public Builder timestamp(long epochMillis) {
      this.timestamp = epochMillis;
      return this;
    }

    public Builder logger(String logger) {
      this.logger = logger;
      return this;
    }

    public Builder thread(String thread) {
      this.thread = thread;
      return this;
    }

    /** Adds a string label ({@code labels.<key>}); {@code null} keys or values are ignored. */
    public Builder label(String key, String value) {
      if (key != null && value != null) {
        if (labels == null) {
          labels = sharedLabels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(sharedLabels);
          sharedLabels = null;
        }
        labels.put(key, value);
      }
      return this;
    }

    /** Adds string labels, e.g. a logging framework's MDC; {@code null} is ignored. */
    public Builder labels(Map<String, String> values) {
      if (values != null) {
        values.forEach(this::label);
      }
      return this;
    }

    /**
     * Uses {@code labels} as they are, without copying them, in place of the labels added so far:
     * for an unmodifiable map that many records share and that nobody changes, such as labels
     * derived once from a logging framework's MDC snapshot. The client may then redact and encode
     * them once for all the records that carry the same map. Labels added afterwards go into a
     * copy. It must hold no {@code null} key or value; {@code null} itself is ignored.
     */
    public Builder sharedLabels(Map<String, String> labels) {
      if (labels != null) {
        this.sharedLabels = labels;
        this.labels = null;
      }
      return this;
    }

    /** Adds a structured field ({@code fields.<key>}); {@code null} keys are ignored. */
    public Builder field(String key, Object value) {
      if (key != null) {
        if (fields == null) {
          fields = new LinkedHashMap<>();
        }
        fields.put(key, value);
      }
      return this;
    }

    /** Adds structured fields; {@code null} is ignored. */
    public Builder fields(Map<String, ?> values) {
      if (values != null) {
        values.forEach(this::field);
      }
      return this;
    }

    /** Adds a tag (e.g. a marker name); {@code null} is ignored. */
    public Builder tag(String tag) {
      if (tag != null) {
        if (tags == null) {
          tags = new ArrayList<>(2);
        }
        tags.add(tag);
      }
      return this;
    }

    public Builder error(Throwable error) {
      this.error = error;
      return this;
    }

    /** Caller data: where the log call was made. */
    public Builder origin(String fileName, int line, String function) {
      this.originFile = fileName;
      this.originLine = line;
      this.originFunction = function;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    /** The W3C trace and span ids (lower-case hex); both or neither. */
    public Builder trace(String traceId, String spanId) {
      this.traceId = traceId;
      this.spanId = spanId;
      return this;
    }

    public LogEntry build() {
      return new LogEntry(this);
    }
  }

  @Override
  public String toString() {
    return "LogEntry{" + level + " " + Objects.toString(logger, "") + ": " + message + "}";
  }
}
