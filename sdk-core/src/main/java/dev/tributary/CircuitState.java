package dev.tributary;

/**
 * The state of the circuit breaker around one of the client's Kafka producers. The numeric
 * {@link #code()} is the value of the {@code tributary_client_circuit_state} self-metric.
 */
public enum CircuitState {
  /** Sending normally. */
  CLOSED(0),
  /** Too many consecutive failures: nothing is handed to this producer until the open duration has passed. */
  OPEN(1),
  /** The open duration has passed: one probe record is sent; its success closes the circuit, its failure re-opens it. */
  HALF_OPEN(2);

  private final int code;

  CircuitState(int code) {
    this.code = code;
  }

  /** 0 closed, 1 open, 2 half-open. */
  public int code() {
    return code;
  }
}
