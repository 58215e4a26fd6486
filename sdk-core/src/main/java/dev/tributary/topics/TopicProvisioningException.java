package dev.tributary.topics;

/**
 * Provisioning could not complete: the cluster refused a topic (invalid config, replication factor
 * larger than the broker count, missing authorization), or the admin client could not be created.
 * Topics created before the failure stay created; the message says which.
 */
public class TopicProvisioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TopicProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
