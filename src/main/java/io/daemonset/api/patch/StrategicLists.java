package io.daemonset.api.patch;

import static io.daemonset.api.patch.StrategicMergePatches.DELETE;
import static io.daemonset.api.patch.StrategicMergePatches.DIRECTIVE;
import static io.daemonset.api.patch.StrategicMergePatches.REPLACE;
import static io.daemonset.api.patch.StrategicMergePatches.SET_ELEMENT_ORDER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.patch.PatchSchema.ListRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * The list half of a strategic merge patch (strategicpatch mergeSlice and mergePatchIntoOriginal).
 * A merging list of objects: items with {@code $patch: delete} remove every live item with that key, an item
 * with {@code $patch: replace} makes the other patch items the whole list, other items merge into the live
 * item with the same key or are appended. A merging list of scalars is the union. Then
 * {@link ElementOrder} fixes the order. A list that does not merge is replaced by the patch's.
 */
final class StrategicLists {
  private final StrategicMergePatches maps;
  private final PatchSchema schema;

  StrategicLists(StrategicMergePatches maps, PatchSchema schema) {
    this.maps = maps;
    this.schema = schema;
  }

  /** The list at {@code path} after the patch: merged if the schema says so, else the patch's list. */
  ArrayNode mergeListField(ArrayNode original, ArrayNode patch, String path) {
    ListRule rule = schema.list(path);
    if (!rule.merge()) {
      return patch;
    }
    return toArray(mergeSlice(items(original), items(patch), rule, path));
  }

  /**
   * Every {@code $setElementOrder/<list>} in {@code patch}: merges that list now, orders it, and removes both
   * from the patch so the field loop does not merge the list twice.
   */
  void mergeOrderedLists(ObjectNode original, ObjectNode patch, String path) {
    List<String> orderKeys = new ArrayList<>();
    patch.fieldNames().forEachRemaining(k -> {
      if (k.startsWith(SET_ELEMENT_ORDER)) {
        orderKeys.add(k);
      }
    });
    for (String orderKey : orderKeys) {
      JsonNode order = patch.remove(orderKey);
      String key = StrategicMergePatches.suffix(orderKey, SET_ELEMENT_ORDER,
          "invalid patch format of setElementOrder list");
      JsonNode live = original.get(key);
      JsonNode patchList = patch.get(key);
      if (!order.isArray() || (live != null && !live.isArray()) || (patchList != null && !patchList.isArray())) {
        continue; // nothing to order: the field loop replaces or deletes the value
      }
      String listPath = PatchSchema.child(path, key);
      ListRule rule = schema.list(listPath);
      Function<JsonNode, String> id = idFor(rule, items(order));
      List<JsonNode> orderItems = items(order);
      if (patchList != null) {
        validateOrder(items(patchList), orderItems, id, order);
      }
      if (live == null && patchList == null) {
        continue;
      }
      ArrayNode merged = patchList == null ? (ArrayNode) live
          : mergeListField(live == null ? Nodes.F.arrayNode() : (ArrayNode) live, (ArrayNode) patchList, listPath);
      List<List<JsonNode>> parts = ElementOrder.partition(items(merged), orderItems, id);
      List<JsonNode> serverOrder = live == null ? List.of() : items(live);
      original.set(key, toArray(ElementOrder.normalize(parts.get(0), parts.get(1), orderItems, serverOrder, id)));
      patch.remove(key);
    }
  }

  private List<JsonNode> mergeSlice(List<JsonNode> original, List<JsonNode> patch, ListRule rule, String path) {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    boolean objects = elementsAreObjects(original, patch);
    List<JsonNode> merged;
    if (!objects) {
      merged = union(original, patch);
    } else {
      if (rule.mergeKey().isEmpty()) {
        throw PatchException.invalid("cannot merge lists without merge key for type struct");
      }
      List<List<JsonNode>> special = withoutSpecialElements(original, patch, rule.mergeKey(), path);
      original = special.get(0);
      patch = special.get(1);
      merged = mergeByKey(original, patch, rule.mergeKey(), path);
    }
    Function<JsonNode, String> id = objects ? item -> keyOf(item, rule.mergeKey()) : Nodes::canonical;
    List<List<JsonNode>> parts = ElementOrder.partition(merged, patch, id);
    return ElementOrder.normalize(parts.get(0), parts.get(1), patch, original, id);
  }

  /** Applies {@code $patch} items: returns [original after deletions or replacement, patch without them]. */
  private List<List<JsonNode>> withoutSpecialElements(List<JsonNode> original, List<JsonNode> patch, String key,
                                                      String path) {
    List<JsonNode> remaining = new ArrayList<>(original);
    List<JsonNode> plain = new ArrayList<>();
    boolean replace = false;
    for (JsonNode item : patch) {
      JsonNode directive = item.get(DIRECTIVE);
      if (directive == null) {
        plain.add(item);
      } else if (DELETE.equals(directive.asText())) {
        String gone = keyOf(item, key);
        remaining.removeIf(live -> keyOf(live, key).equals(gone));
      } else if (REPLACE.equals(directive.asText())) {
        replace = true; // keep iterating: other $patch items are still pruned
      } else if ("merge".equals(directive.asText())) {
        throw PatchException.invalid("merging lists cannot yet be specified in the patch");
      } else {
        throw PatchException.invalid("unknown patch type: " + Nodes.goString(directive) + " in map: "
            + Nodes.goString(item));
      }
    }
    if (replace) {
      List<JsonNode> replaced = new ArrayList<>();
      plain.forEach(item -> replaced.add(maps.fresh(item, PatchSchema.item(path))));
      return List.of(replaced, List.of());
    }
    return List.of(remaining, plain);
  }

  private List<JsonNode> mergeByKey(List<JsonNode> original, List<JsonNode> patch, String key, String path) {
    List<JsonNode> out = new ArrayList<>(original);
    String itemPath = PatchSchema.item(path);
    for (JsonNode item : patch) {
      String id = keyOf(item, key);
      int at = -1;
      for (int i = 0; i < out.size() && at < 0; i++) {
        at = id.equals(keyOrNull(out.get(i), key)) ? i : -1;
      }
      if (at >= 0) {
        out.set(at, maps.mergeMap((ObjectNode) out.get(at), (ObjectNode) item, itemPath));
      } else {
        out.add(maps.fresh(item, itemPath));
      }
    }
    return out;
  }

  /**
   * Checks that the patch list's items appear in the same relative order in {@code $setElementOrder}
   * (items being deleted, or carrying a directive, are not ordered).
   */
  private static void validateOrder(List<JsonNode> patch, List<JsonNode> order, Function<JsonNode, String> id,
                                    JsonNode orderNode) {
    List<JsonNode> ordered = patch.stream().filter(item -> !item.has(DIRECTIVE)).toList();
    int p = 0;
    for (int s = 0; p < ordered.size() && s < order.size(); s++) {
      if (id.apply(ordered.get(p)).equals(id.apply(order.get(s)))) {
        p++;
      }
    }
    if (p < ordered.size()) {
      throw PatchException.invalid("The order in patch list:\n" + Nodes.goString(toArray(patch))
          + "\n doesn't match $setElementOrder list:\n" + Nodes.goString(orderNode) + "\n");
    }
  }

  private static Function<JsonNode, String> idFor(ListRule rule, List<JsonNode> order) {
    boolean objects = order.stream().anyMatch(JsonNode::isObject);
    return objects && !rule.mergeKey().isEmpty() ? item -> keyOf(item, rule.mergeKey()) : Nodes::canonical;
  }

  /** The merge key value as canonical JSON; an item without it is refused as upstream refuses it. */
  static String keyOf(JsonNode item, String key) {
    String id = keyOrNull(item, key);
    if (id == null) {
      throw PatchException.invalid("map: " + Nodes.goString(item) + " does not contain declared merge key: " + key);
    }
    return id;
  }

  private static String keyOrNull(JsonNode item, String key) {
    JsonNode value = item.isObject() ? item.get(key) : null;
    return value == null ? null : Nodes.canonical(value);
  }

  private static boolean elementsAreObjects(List<JsonNode> original, List<JsonNode> patch) {
    Boolean objects = null;
    for (List<JsonNode> list : List.of(original, patch)) {
      for (JsonNode item : list) {
        if (item.isArray()) {
          throw PatchException.invalid("lists of lists are not supported");
        }
        if (objects != null && objects != item.isObject()) {
          throw PatchException.invalid("list element types are not identical: " + Nodes.goString(toArray(original))
              + " " + Nodes.goString(toArray(patch)));
        }
        objects = item.isObject();
      }
    }
    return Boolean.TRUE.equals(objects);
  }

  static List<JsonNode> items(JsonNode array) {
    List<JsonNode> out = new ArrayList<>(array.size());
    array.forEach(out::add);
    return out;
  }

  static ArrayNode toArray(List<JsonNode> items) {
    ArrayNode out = Nodes.F.arrayNode();
    items.forEach(out::add);
    return out;
  }

  /** Scalars in first-seen order without duplicates (by value, so 1 and 1.0 are one). */
  private static List<JsonNode> union(List<JsonNode> first, List<JsonNode> second) {
    LinkedHashMap<String, JsonNode> byId = new LinkedHashMap<>();
    first.forEach(v -> byId.putIfAbsent(Nodes.canonical(v), v));
    second.forEach(v -> byId.putIfAbsent(Nodes.canonical(v), v));
    return new ArrayList<>(byId.values());
  }
}
