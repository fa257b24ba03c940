package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code application/merge-patch+json}, RFC 7386: objects merge recursively, {@code null} deletes a key,
 * anything else (arrays included) replaces. Nothing in the pom implements it (zjsonpatch does RFC 6902
 * only), and the whole algorithm is the dozen lines below. kube-apiserver only patches objects, so a
 * patch that is not a JSON object is refused with 400 rather than replacing the document.
 */
public final class MergePatches {
  private MergePatches() {}

  /** The patched copy of {@code target}; neither argument is modified. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      throw PatchException.badRequest("Invalid JSON Patch");
    }
    return merge(target, patch);
  }

  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return Nodes.withoutNulls(patch);
    }
    ObjectNode out = target != null && target.isObject() ? target.deepCopy() : Nodes.object();
    patch.properties().forEach(e -> {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    });
    return out;
  }
}
