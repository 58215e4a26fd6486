package dev.tributary;

/** The client's four streams, each with its own buffer, overflow policy and counters. */
public enum StreamKind {
  METRICS("metrics"),
  LOGS("logs"),
  EVENTS("events"),
  HEALTH("health");

  private final String label;

  StreamKind(String label) {
    this.label = label;
  }

  /** The lower-case name used in self-metrics labels and log messages. */
  public String label() {
    return label;
  }
}
