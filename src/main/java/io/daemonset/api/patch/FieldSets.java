package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.patch.PatchSchema.ListRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field sets of documents, as structured-merge-diff's ToFieldSet and Compare compute them over typed values,
 * with {@link PatchSchema} standing in for the OpenAPI schema. Members of a set: scalars, {@code null}s,
 * empty maps, atomic maps and lists, and each item of a keyed list or set (a non-empty map and a non-atomic
 * list are only the sum of their children).
 */
final class FieldSets {
  private FieldSets() {}

  /** What changed from {@code lhs} to {@code rhs}: paths added (whole new subtrees), removed, modified leaves. */
  record Comparison(FieldSet added, FieldSet removed, FieldSet modified) {
    FieldSet modifiedOrAdded() {
      return modified.union(added);
    }
  }

  /** The members of {@code object}. */
  static FieldSet of(JsonNode object, PatchSchema schema) {
    Set<List<String>> out = new LinkedHashSet<>();
    members(object, schema, "", new ArrayList<>(), out);
    return FieldSet.of(out);
  }

  static Comparison compare(JsonNode lhs, JsonNode rhs, PatchSchema schema) {
    Set<List<String>> added = new LinkedHashSet<>();
    Set<List<String>> removed = new LinkedHashSet<>();
    Set<List<String>> modified = new LinkedHashSet<>();
    new Walk(schema, added, removed, modified).compareObjects(lhs, rhs, "", new ArrayList<>());
    return new Comparison(FieldSet.of(added), FieldSet.of(removed), FieldSet.of(modified));
  }

  /** The path element of a list item: {@code k:{"name":"a"}} (keys sorted, defaults filled) or {@code v:"x"}. */
  static String itemElement(JsonNode item, ListRule rule) {
    if (rule.type() == PatchSchema.ListType.SET) {
      return "v:" + Nodes.canonical(item);
    }
    ObjectNode key = Nodes.object();
    for (String name : rule.keys()) {
      JsonNode value = item.isObject() ? item.get(name) : null;
      if (Nodes.isAbsent(value) && rule.keyDefaults().containsKey(name)) {
        value = Nodes.F.textNode(rule.keyDefaults().get(name));
      }
      if (Nodes.isAbsent(value)) {
        throw PatchException.invalid("associative list with keys has an element that omits key field \"" + name
            + "\" (and doesn't have default value)");
      }
      key.set(name, value);
    }
    return "k:" + Nodes.canonical(key);
  }

  /** The items of a keyed list or set by path element, first occurrence wins (as SMD ignores repeats). */
  static Map<String, JsonNode> itemsById(JsonNode list, ListRule rule) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (list != null && list.isArray()) {
      list.forEach(item -> out.putIfAbsent(itemElement(item, rule), item));
    }
    return out;
  }

  private static void members(JsonNode node, PatchSchema schema, String sp, List<String> path,
                              Set<List<String>> out) {
    if (node.isObject() && !schema.atomicMap(sp)) {
      if (node.isEmpty() && !path.isEmpty()) {
        out.add(List.copyOf(path));
      }
      node.properties().forEach(e -> {
        path.add("f:" + e.getKey());
        members(e.getValue(), schema, PatchSchema.child(sp, e.getKey()), path, out);
        path.remove(path.size() - 1);
      });
    } else if (node.isArray() && schema.list(sp).type() != PatchSchema.ListType.ATOMIC) {
      ListRule rule = schema.list(sp);
      itemsById(node, rule).forEach((element, item) -> {
        path.add(element);
        out.add(List.copyOf(path)); // an item is a member whatever it holds: FieldsV1 writes its "."
        if (item.isObject()) {
          members(item, schema, PatchSchema.item(sp), path, out);
        }
        path.remove(path.size() - 1);
      });
    } else {
      out.add(List.copyOf(path));
    }
  }

  /** One comparison walk; nulls count as absent, as they do for SMD scalars. */
  private record Walk(PatchSchema schema, Set<List<String>> added, Set<List<String>> removed,
                      Set<List<String>> modified) {

    void compareObjects(JsonNode lhs, JsonNode rhs, String sp, List<String> path) {
      Set<String> keys = new LinkedHashSet<>();
      lhs.fieldNames().forEachRemaining(keys::add);
      rhs.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        path.add("f:" + key);
        compare(lhs.get(key), rhs.get(key), PatchSchema.child(sp, key), path);
        path.remove(path.size() - 1);
      }
    }

    void compare(JsonNode lhs, JsonNode rhs, String sp, List<String> path) {
      boolean noLeft = Nodes.isAbsent(lhs);
      boolean noRight = Nodes.isAbsent(rhs);
      if (noLeft && noRight) {
        return;
      }
      if (noLeft || noRight || lhs.getNodeType() != rhs.getNodeType()) {
        if (!noLeft) {
          subtree(lhs, sp, path, removed);
        }
        if (!noRight) {
          subtree(rhs, sp, path, added);
        }
        return;
      }
      ListRule rule = schema.list(sp);
      if (lhs.isObject() && !schema.atomicMap(sp) && !(lhs.isEmpty() && rhs.isEmpty())) {
        compareObjects(lhs, rhs, sp, path);
      } else if (lhs.isArray() && rule.type() != PatchSchema.ListType.ATOMIC && !(lhs.isEmpty() && rhs.isEmpty())) {
        compareItems(itemsById(lhs, rule), itemsById(rhs, rule), sp, path);
      } else if (!Nodes.equal(lhs, rhs)) {
        modified.add(List.copyOf(path));
      }
    }

    void compareItems(Map<String, JsonNode> lhs, Map<String, JsonNode> rhs, String sp, List<String> path) {
      Set<String> ids = new LinkedHashSet<>(lhs.keySet());
      ids.addAll(rhs.keySet());
      for (String id : ids) {
        path.add(id);
        JsonNode l = lhs.get(id);
        JsonNode r = rhs.get(id);
        if (l == null || r == null) {
          subtree(l == null ? r : l, PatchSchema.item(sp), path, l == null ? added : removed);
        } else if (l.isObject() && r.isObject()) {
          compareObjects(l, r, PatchSchema.item(sp), path);
        }
        path.remove(path.size() - 1);
      }
    }

    /** Every path of {@code node} and below: an added or removed subtree is added or removed throughout. */
    void subtree(JsonNode node, String sp, List<String> path, Set<List<String>> into) {
      into.add(List.copyOf(path));
      if (node.isObject() && !schema.atomicMap(sp)) {
        node.properties().forEach(e -> {
          path.add("f:" + e.getKey());
          subtree(e.getValue(), PatchSchema.child(sp, e.getKey()), path, into);
          path.remove(path.size() - 1);
        });
      } else if (node.isArray() && schema.list(sp).type() != PatchSchema.ListType.ATOMIC) {
        itemsById(node, schema.list(sp)).forEach((id, item) -> {
          path.add(id);
          subtree(item, PatchSchema.item(sp), path, into);
          path.remove(path.size() - 1);
        });
      }
    }
  }
}
