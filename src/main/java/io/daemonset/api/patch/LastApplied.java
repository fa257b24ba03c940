package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The kubectl.kubernetes.io/last-applied-configuration annotation in server-side apply, as kube-apiserver's
 * lastAppliedManager and lastAppliedUpdater use it, both for the manager "kubectl" only: fields client-side
 * apply set and nobody changed since may be taken over without conflict, and an object that has the
 * annotation keeps it equal to the configuration last applied (so client-side apply still works after).
 */
final class LastApplied {
  private LastApplied() {}

  /** Fields of the annotation's configuration whose live value is still the one it applied; empty if none. */
  static FieldSet ownedByClientSideApply(JsonNode live, String apiVersion, PatchSchema schema) {
    String text = live.path("metadata").path("annotations").path(ServerSideApply.LAST_APPLIED).asText("");
    if (text.isEmpty()) {
      return FieldSet.empty();
    }
    JsonNode lastApplied;
    try {
      lastApplied = Nodes.parse(text);
    } catch (RuntimeException unreadable) {
      return FieldSet.empty();
    }
    if (!lastApplied.isObject() || !apiVersion.equals(lastApplied.path("apiVersion").asText())) {
      return FieldSet.empty();
    }
    FieldSets.Comparison drift = FieldSets.compare(lastApplied, live, schema);
    return FieldSets.of(lastApplied, schema).minus(drift.modified()).minus(drift.added()).minus(drift.removed());
  }

  /** Sets the annotation of {@code result} to {@code config} if {@code live} has one. */
  static void update(JsonNode live, ObjectNode result, JsonNode config) {
    if (live.path("metadata").path("annotations").path(ServerSideApply.LAST_APPLIED).asText("").isEmpty()) {
      return;
    }
    ObjectNode applied = config.deepCopy();
    JsonNode annotations = applied.path("metadata").path("annotations");
    if (annotations.isObject()) {
      ((ObjectNode) annotations).remove(ServerSideApply.LAST_APPLIED);
      if (annotations.isEmpty()) {
        ((ObjectNode) applied.get("metadata")).remove("annotations");
      }
    }
    // Go's encoding/json: keys sorted, and json.Encoder's trailing newline, as kubectl writes it too
    result.withObjectProperty("metadata").withObjectProperty("annotations").put(ServerSideApply.LAST_APPLIED, Nodes.canonical(applied) + "\n");
  }
}
