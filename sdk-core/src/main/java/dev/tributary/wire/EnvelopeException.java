package dev.tributary.wire;

/**
 * A record that is not a valid v1 envelope. {@link #reason()} is a short, stable, low-cardinality
 * code for metrics labels and dead-letter headers; the message says what exactly was wrong.
 */
public final class EnvelopeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a record could not be decoded. */
  public enum Reason {
    /** Not parseable JSON, or not a JSON object. */
    MALFORMED_JSON("malformed_json"),
    /** A schema major version this reader does not understand. */
    UNSUPPORTED_VERSION("unsupported_version"),
    /** An unknown {@code tributary.type}. */
    UNKNOWN_TYPE("unknown_type"),
    /** A required field is absent. */
    MISSING_FIELD("missing_field"),
    /** A field has the wrong JSON type or an invalid value. */
    INVALID_VALUE("invalid_value");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** The stable reason code, e.g. {@code malformed_json}. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public EnvelopeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public EnvelopeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the record was rejected. */
  public Reason reason() {
    return reason;
  }
}
