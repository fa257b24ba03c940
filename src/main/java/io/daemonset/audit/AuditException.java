package io.daemonset.audit;

/** An answer the journal cannot give: the message is the one line the command prints. */
public final class AuditException extends RuntimeException {
  public AuditException(String message) {
    super(message);
  }
}
