package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The order of a merged list, as strategicpatch's normalizeElementOrder decides it: items the patch
 * mentions follow the patch's order ({@code $setElementOrder} when present), items only the server has keep
 * their server order, and a server-only item goes before a patch item only if it came before it on the
 * server. Precedence: $setElementOrder, then patch order, then live order. Items are compared by an id:
 * the canonical JSON of the merge key value (maps) or of the value itself (scalars).
 */
final class ElementOrder {
  private ElementOrder() {}

  /** The merged list ordered: {@code patchItems} by {@code patchOrder}, {@code serverOnly} by {@code serverOrder}. */
  static List<JsonNode> normalize(List<JsonNode> patchItems, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
                                  List<JsonNode> serverOrder, Function<JsonNode, String> id) {
    List<JsonNode> patch = sortBy(patchItems, patchOrder, id);
    List<JsonNode> server = sortBy(serverOnly, serverOrder, id);
    return interleave(server, patch, indexOf(serverOrder, id), id);
  }

  /** Splits {@code merged} into the items whose id occurs in {@code by} (index 0) and the others (index 1). */
  static List<List<JsonNode>> partition(List<JsonNode> merged, List<JsonNode> by, Function<JsonNode, String> id) {
    Set<String> ids = new HashSet<>();
    by.forEach(item -> ids.add(id.apply(item)));
    List<JsonNode> in = new ArrayList<>();
    List<JsonNode> out = new ArrayList<>();
    merged.forEach(item -> (ids.contains(id.apply(item)) ? in : out).add(item));
    return List.of(in, out);
  }

  /** Stable sort by position in {@code order}; items {@code order} does not know go last. */
  private static List<JsonNode> sortBy(List<JsonNode> items, List<JsonNode> order, Function<JsonNode, String> id) {
    Map<String, Integer> index = indexOf(order, id);
    List<JsonNode> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingInt(item -> index.getOrDefault(id.apply(item), Integer.MAX_VALUE)));
    return sorted;
  }

  /** upstream mergeSortedSlice: insert each server-only item before the first patch item it preceded live. */
  private static List<JsonNode> interleave(List<JsonNode> left, List<JsonNode> right, Map<String, Integer> live,
                                           Function<JsonNode, String> id) {
    List<JsonNode> out = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (j >= right.size()) {
        out.add(left.get(i++));
      } else if (i >= left.size()) {
        out.add(right.get(j++));
      } else {
        Integer li = live.get(id.apply(left.get(i)));
        Integer ri = live.get(id.apply(right.get(j)));
        out.add(li != null && ri != null && li < ri ? left.get(i++) : right.get(j++));
      }
    }
    return out;
  }

  private static Map<String, Integer> indexOf(List<JsonNode> order, Function<JsonNode, String> id) {
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < order.size(); k++) {
      index.putIfAbsent(id.apply(order.get(k)), k);
    }
    return index;
  }
}
