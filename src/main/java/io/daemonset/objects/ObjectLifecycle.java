package io.daemonset.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Namespace;
import io.daemonset.model.PlainKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Pure rules of a plain object's life, on its JSON: what the server sets on create, and the finalizer protocol of
 * deletion (an object with finalizers is only marked, with deletionTimestamp; it goes once they are removed). A
 * Namespace's spec.finalizers count as finalizers and its phase turns Terminating, as upstream.
 */
final class ObjectLifecycle {
  private ObjectLifecycle() {}

  static JsonNode created(JsonNode requested, Instant now) {
    ObjectNode object = requested.deepCopy();
    ObjectNode meta = object.with("metadata");
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
    meta.remove("resourceVersion");
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    return object;
  }

  /** An update keeps what the server owns: uid, creationTimestamp, deletionTimestamp. */
  static JsonNode updated(JsonNode existing, JsonNode requested) {
    ObjectNode object = requested.deepCopy();
    ObjectNode meta = object.with("metadata");
    JsonNode was = existing.path("metadata");
    for (String field : new String[] {"uid", "creationTimestamp", "deletionTimestamp"}) {
      if (was.has(field)) {
        meta.set(field, was.get(field));
      } else {
        meta.remove(field);
      }
    }
    meta.remove("resourceVersion");
    return object;
  }

  static boolean deleting(JsonNode object) {
    return object.path("metadata").hasNonNull("deletionTimestamp");
  }

  static boolean hasFinalizers(String resource, JsonNode object) {
    boolean own = object.path("metadata").path("finalizers").size() > 0;
    boolean namespace = PlainKind.NAMESPACES.resource.equals(resource) && object.path("spec").path("finalizers").size() > 0;
    return own || namespace;
  }

  static JsonNode markedForDeletion(String resource, JsonNode object, Instant now) {
    ObjectNode marked = object.deepCopy();
    marked.with("metadata").put("deletionTimestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
    marked.with("metadata").put("deletionGracePeriodSeconds", 0);
    if (PlainKind.NAMESPACES.resource.equals(resource)) {
      marked.with("status").put("phase", Namespace.TERMINATING);
    }
    return marked;
  }
}
