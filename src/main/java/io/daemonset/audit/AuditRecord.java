package io.daemonset.audit;

import java.time.Instant;
import java.util.List;

/**
 * One journal event as an auditor reads it: when, who, why, and what it changed.
 *
 * @param ordering the journal's global ordering (the resourceVersion the change got)
 * @param entityType the entity type: DaemonSet or Node
 * @param namespace the DaemonSet's namespace, null for a node
 * @param event the event type, e.g. PodsScheduled
 * @param at when it was decided (the event's cause)
 * @param writtenAt when the journal wrote it
 * @param actor who asked: a user, a node agent (system:node:NAME) or the controller
 * @param reason why, in words, with the fleet change that triggered it ("trigger: node n2: label ssd removed")
 * @param changes what it did to API objects and pod bindings
 * @param revisions the template hashes of the pods it touched
 * @param nodes the nodes it touched
 */
public record AuditRecord(long ordering, String persistenceId, long sequenceNr, String entityType, String namespace,
                          String name, String event, Instant at, Instant writtenAt, String actor, String reason,
                          List<Change> changes, List<String> revisions, List<String> nodes) {

  public AuditRecord {
    changes = List.copyOf(changes);
    revisions = List.copyOf(revisions);
    nodes = List.copyOf(nodes);
  }

  /** "DaemonSet default/logs", "Node n1". */
  public String entity() {
    return entityType + " " + (namespace == null ? name : namespace + "/" + name);
  }

  /** Whether it touched this object ({@code namespace} null: any namespace). */
  public boolean touches(String resource, String ns, String objectName) {
    return changes.stream().anyMatch(c -> c.resource().equals(resource) && c.name().equals(objectName)
        && (ns == null || ns.equals(c.namespace())));
  }
}
