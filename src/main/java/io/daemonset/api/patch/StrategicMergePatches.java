package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code application/strategic-merge-patch+json}, as k8s.io/apimachinery strategicpatch.StrategicMergeMapPatch
 * applies it server side (MergeParallelList and IgnoreUnmatchedNulls on). Maps merge recursively and
 * {@code null} deletes a key; lists follow {@link PatchSchema}: merged by key, merged as a set of scalars,
 * or replaced. Directives: {@code $patch: replace|delete} on a map, {@code $patch: delete|replace} on a list
 * item, {@code $retainKeys}, {@code $setElementOrder/<list>} and {@code $deleteFromPrimitiveList/<list>}.
 *
 * <p>Invariants: neither argument is modified; the result holds no directive and no {@code null} member
 * that the patch introduced. Two deliberate differences from upstream, both about values the live object
 * lacks: upstream copies such a patch value verbatim (directives, nulls and all, for Go's typed decoding to
 * drop later), we merge it into an empty value so directives are applied and nulls dropped; and a
 * {@code $deleteFromPrimitiveList} for a list the object lacks deletes nothing instead of becoming the list.
 * Errors carry upstream's wording; see {@link PatchException} for the status codes.
 */
public final class StrategicMergePatches {
  static final String DIRECTIVE = "$patch";
  static final String REPLACE = "replace";
  static final String DELETE = "delete";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  private final StrategicLists lists;

  private StrategicMergePatches(PatchSchema schema) {
    this.lists = new StrategicLists(this, schema);
  }

  /** The patched copy of {@code target} (a JSON object, or null for an empty one). */
  public static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema schema) {
    if (patch == null || !patch.isObject()) {
      throw PatchException.badRequest("invalid JSON document");
    }
    ObjectNode original = target != null && target.isObject() ? target.deepCopy() : Nodes.object();
    return new StrategicMergePatches(schema).mergeMap(original, patch.deepCopy(), "");
  }

  /** Merges {@code patch} into {@code original} (both owned, both mutated) and returns the result. */
  ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) {
      if (REPLACE.equals(directive.asText())) {
        patch.remove(DIRECTIVE);
        return mergeMap(Nodes.object(), patch, path);
      }
      if (DELETE.equals(directive.asText())) {
        return Nodes.object();
      }
      throw PatchException.invalid("unknown patch type: " + Nodes.goString(directive) + " in map: "
          + Nodes.goString(patch));
    }
    retainKeys(original, patch);
    lists.mergeOrderedLists(original, patch, path);
    List<String> keys = new ArrayList<>();
    patch.fieldNames().forEachRemaining(keys::add);
    // Deletions from primitive lists go first, so that a value deleted and re-added ends up present.
    keys.sort(Comparator.comparing(k -> !k.startsWith(DELETE_FROM_PRIMITIVE_LIST)));
    for (String key : keys) {
      mergeField(original, key, patch.get(key), path);
    }
    return original;
  }

  /** A patch value for a key the original lacks: merged into nothing, which applies its directives. */
  JsonNode fresh(JsonNode value, String path) {
    if (value.isObject()) {
      return mergeMap(Nodes.object(), (ObjectNode) value, path);
    }
    if (value.isArray()) {
      return lists.mergeListField(Nodes.F.arrayNode(), (ArrayNode) value, path);
    }
    return value;
  }

  private void mergeField(ObjectNode original, String patchKey, JsonNode value, String path) {
    boolean deletion = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    String key = deletion ? suffix(patchKey, DELETE_FROM_PRIMITIVE_LIST, "invalid patch format of primitive list")
        : patchKey;
    if (!deletion && key.startsWith("$")) {
      return; // an unknown directive: upstream keeps it as a field that typed decoding then drops
    }
    String childPath = PatchSchema.child(path, key);
    JsonNode current = original.get(key);
    if (value.isNull()) {
      original.remove(key);
    } else if (deletion) {
      if (!value.isArray() || (current != null && !current.isArray())) {
        throw PatchException.badRequest("invalid patch format of primitive list");
      }
      if (current != null) {
        original.set(key, withoutValues((ArrayNode) current, (ArrayNode) value));
      }
    } else if (current == null || current.getNodeType() != value.getNodeType()) {
      original.set(key, fresh(value, childPath));
    } else if (current.isObject()) {
      original.set(key, mergeMap((ObjectNode) current, (ObjectNode) value, childPath));
    } else if (current.isArray()) {
      original.set(key, lists.mergeListField((ArrayNode) current, (ArrayNode) value, childPath));
    } else {
      original.set(key, value);
    }
  }

  /**
   * {@code $retainKeys}: every key the patch sets must be listed, and the original loses the keys that are
   * not (kubectl sends it for volumes and updateStrategy, whose one-of members must not pile up).
   */
  private static void retainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw PatchException.badRequest("invalid patch format of retainKeys");
    }
    Set<String> keep = new HashSet<>();
    retain.forEach(k -> {
      if (k.isTextual()) {
        keep.add(k.textValue());
      }
    });
    patch.properties().forEach(e -> {
      String k = e.getKey();
      boolean exempt = e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)
          || k.startsWith(SET_ELEMENT_ORDER);
      if (!exempt && !keep.contains(k)) {
        throw PatchException.badRequest("invalid patch format of retainKeys");
      }
    });
    List<String> drop = new ArrayList<>();
    original.fieldNames().forEachRemaining(k -> {
      if (!keep.contains(k)) {
        drop.add(k);
      }
    });
    original.remove(drop);
  }

  /** The list name after {@code prefix/}; a directive without it is a malformed patch. */
  static String suffix(String key, String prefix, String error) {
    if (!key.startsWith(prefix + "/") || key.length() == prefix.length() + 1) {
      throw PatchException.badRequest(error);
    }
    return key.substring(prefix.length() + 1);
  }

  private static ArrayNode withoutValues(ArrayNode current, ArrayNode toDelete) {
    Set<String> gone = new HashSet<>();
    toDelete.forEach(v -> gone.add(Nodes.canonical(v)));
    ArrayNode out = Nodes.F.arrayNode();
    current.forEach(v -> {
      if (!gone.contains(Nodes.canonical(v))) {
        out.add(v);
      }
    });
    return out;
  }
}
