package io.daemonset.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The fields that differ between two versions of an object, compared as JSON trees: objects field by field,
 * anything else (lists included) as a whole. The resourceVersion and managedFields are bookkeeping, not
 * changes, and are left out.
 */
final class FieldDiff {
  private FieldDiff() {}

  static List<FieldChange> between(Object before, Object after) {
    List<FieldChange> out = new ArrayList<>();
    diff("", strip(Json.tree(before)), strip(Json.tree(after)), out);
    return out;
  }

  private static JsonNode strip(JsonNode tree) {
    if (tree instanceof ObjectNode object && object.get("metadata") instanceof ObjectNode meta) {
      meta.remove("resourceVersion");
      meta.remove("managedFields");
    }
    return tree;
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<FieldChange> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        diff(path.isEmpty() ? name : path + "." + name, absent(a.get(name)), absent(b.get(name)), out);
      }
    } else if (a == null ? b != null : !a.equals(b)) {
      out.add(new FieldChange(path, a, b));
    }
  }

  private static JsonNode absent(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }
}
