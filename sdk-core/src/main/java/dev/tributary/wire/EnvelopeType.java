package dev.tributary.wire;

/** The kind of a Tributary envelope; its wire name is the value of {@code tributary.type}. */
public enum EnvelopeType {
  METRIC("metric"),
  LOG("log"),
  EVENT("event"),
  HEALTH("health");

  /** {@code values()} copies its array on every call; decoding looks a type up per record. */
  private static final EnvelopeType[] TYPES = values();

  private final String wireName;

  EnvelopeType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the wire, in the envelope and in the {@code tributary-type} header. */
  public String wireName() {
    return wireName;
  }

  /**
   * The type for a wire name.
   *
   * @throws IllegalArgumentException if the name is not a v1 type
   */
  public static EnvelopeType fromWireName(String name) {
    for (EnvelopeType type : TYPES) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown envelope type: " + name);
  }
}
