package dev.tributary.topics;

/**
 * The Kafka cluster did not answer within the provisioner's timeout. The message names the bootstrap
 * servers (when the provisioner was given them), the admin call that timed out and Kafka's cause.
 */
public final class ClusterUnreachableException extends TopicProvisioningException {

    private static final long serialVersionUID = 1L;

    ClusterUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
