package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.ControllerRevision;
import java.util.ArrayList;
import java.util.List;

/**
 * How a ControllerRevision's {@code data} is served. kubectl rollout undo decides "skipped rollback" by comparing,
 * byte for byte, the served data with what it computes from the live DaemonSet: it decodes the DaemonSet into Go
 * structs, marshals it, re-reads it as a map and marshals {@code {"spec":{"template":{…,"$patch":"replace"}}}}, so
 * the comparison is against Go's compact JSON with every object's keys sorted, and with what Go's structs add:
 * {@code "creationTimestamp":null} in the template metadata (a non-pointer metav1.Time) and {@code "resources":{}}
 * in every container (a non-pointer struct). The stored data already has sorted keys; this adds those two and
 * sorts again, so that a rollback to the current template is skipped as upstream skips it.
 * <p>Known gap: a field a manifest sets to its Go zero value (e.g. {@code readOnly: false}) is dropped by Go's
 * omitempty but kept here, so such a template is re-applied instead of skipped (a harmless no-op patch).
 */
final class RevisionData {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RevisionData() {}

  static ControllerRevision served(ControllerRevision revision) {
    JsonNode data = revision.data();
    if (data == null || !data.isObject()) {
      return revision;
    }
    return new ControllerRevision(revision.apiVersion(), revision.kind(), revision.metadata(), goShaped(data),
        revision.revision());
  }

  static JsonNode goShaped(JsonNode data) {
    ObjectNode copy = data.deepCopy();
    JsonNode template = copy.path("spec").path("template");
    if (template instanceof ObjectNode t) {
      ObjectNode meta = t.get("metadata") instanceof ObjectNode m ? m : t.putObject("metadata");
      if (!meta.has("creationTimestamp")) {
        meta.putNull("creationTimestamp");
      }
      if (t.get("spec") instanceof ObjectNode spec) {
        for (String list : List.of("containers", "initContainers")) {
          if (spec.get(list) instanceof ArrayNode containers) {
            containers.forEach(c -> {
              if (c instanceof ObjectNode container && !container.has("resources")) {
                container.putObject("resources");
              }
            });
          }
        }
      }
    }
    return sorted(copy);
  }

  static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = F.objectNode();
      names.forEach(n -> out.set(n, sorted(object.get(n))));
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = F.arrayNode(array.size());
      array.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }
}
