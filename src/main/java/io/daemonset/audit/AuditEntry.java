package io.daemonset.audit;

import io.daemonset.model.Cause;
import java.time.Instant;

/**
 * One journal event as an auditor reads it.
 *
 * @param ordering the journal's global ordering (the resourceVersion of the change)
 * @param entity "DaemonSet default/fluentd" or "Node n7"
 * @param event the event type, e.g. PodsScheduled
 * @param at when it was decided
 * @param actor who asked: a user, a node agent, or the controller
 * @param reason why, in words
 * @param detail the event itself as JSON, for export
 */
public record AuditEntry(long ordering, String entity, long sequenceNr, String event, Instant at, String actor,
                         String reason, String detail) {

  static AuditEntry of(long ordering, String persistenceId, long sequenceNr, Object event, Cause cause, String detail) {
    String entity = persistenceId.replace('|', ' ');
    return new AuditEntry(ordering, entity, sequenceNr, event.getClass().getSimpleName(), cause.at(), cause.actor(),
        cause.reason(), detail);
  }

  /** One line: "2026-11-27T10:00:00Z #123 DaemonSet default/logs PodsScheduled by daemonset-controller: …". */
  public String toLine() {
    return at + " #" + ordering + " " + entity + " " + event + " by " + actor + ": " + reason;
  }
}
