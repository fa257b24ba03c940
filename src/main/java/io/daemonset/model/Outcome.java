package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.daemonset.journal.JsonSerializable;

/**
 * An entity's answer to a write: the object as it now is, or why the write was refused. The API maps a
 * refusal to its Kubernetes Status (404, 409, …); a refusal never changed anything. sequenceNr is the
 * entity's last event after the write, so the API can wait until its view has applied it (read your writes).
 */
public record Outcome<T>(
    // The value crosses JVMs when the entity lives on another member: name its type, never its class.
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
      @JsonSubTypes.Type(value = DaemonSet.class, name = "DaemonSet"),
      @JsonSubTypes.Type(value = Node.class, name = "Node"),
      @JsonSubTypes.Type(value = Pod.class, name = "Pod"),
      @JsonSubTypes.Type(value = Lease.class, name = "Lease"),
      @JsonSubTypes.Type(value = RawObject.class, name = "Raw")
    })
    T value,
    Refusal refusal,
    String message,
    long sequenceNr) implements JsonSerializable {

  /** The API's message for a write that lost a race (409 Conflict), as kube-apiserver words it. */
  public static final String CONFLICT_MESSAGE =
      "the object has been modified; please apply your changes to the latest version and try again";

  /** Why an entity refused a write. */
  public enum Refusal { NOT_FOUND, ALREADY_EXISTS, CONFLICT, INVALID }

  public static <T> Outcome<T> ok(T value, long sequenceNr) {
    return new Outcome<>(value, null, null, sequenceNr);
  }

  public static <T> Outcome<T> refused(Refusal refusal, String message) {
    return new Outcome<>(null, refusal, message, 0);
  }

  public boolean isOk() {
    return refusal == null;
  }
}
