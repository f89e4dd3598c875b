package dev.chopsticks.podrunner;

/**
 * A required Secret, ConfigMap or key is missing, or the Pod's ServiceAccount token could not be had: the kubelet
 * does not start the container ({@code CreateContainerConfigError}) and retries later, and so do we.
 */
public final class MissingReferenceException extends Exception {
    public MissingReferenceException(String message) {
        super(message);
    }
}
