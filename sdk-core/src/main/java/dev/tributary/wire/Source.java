package dev.tributary.wire;

import java.util.Objects;

/**
 * Who sent an envelope: the service, its instance, and the process run.
 *
 * <p>{@code runId} is random per process start, so that {@code (instance, runId, stream, seq)}
 * identifies a record end to end even across restarts of the same instance.
 *
 * @param service the service name ({@code service.name})
 * @param instance the instance id ({@code service.node.name})
 * @param version the service version ({@code service.version}), or {@code null}
 * @param environment the deployment environment ({@code service.environment}), or {@code null}
 * @param runId the per-process run id ({@code tributary.run})
 */
public record Source(String service, String instance, String version, String environment, String runId) {
  public Source {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(runId, "runId");
  }

  /** The Kafka record key used for instance-ordered streams: {@code service/instance}. */
  public String instanceKey() {
    return service + '/' + instance;
  }
}
