package dev.chopsticks.podrunner;

/**
 * A required Secret, ConfigMap or key is missing: the kubelet refuses to create the container
 * ({@code CreateContainerConfigError}) and retries later, and so do we.
 */
public final class MissingReferenceException extends Exception {
  public MissingReferenceException(String message) {
    super(message);
  }
}
