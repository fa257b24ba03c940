package io.daemonset.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON with the keys of every object in sorted order, written compactly: the form Go's json.Marshal
 * gives a map, so it is independent of record component order, map implementation and JVM.
 */
final class CanonicalJson {

  private CanonicalJson() {}

  /** The model object as a tree through the one Json mapper, with all keys sorted. */
  static JsonNode tree(Object value) {
    return sorted(Json.tree(value));
  }

  static String write(JsonNode node) {
    return Json.write(sorted(node));
  }

  static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      names.forEach(n -> copy.set(n, sorted(object.get(n))));
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(array.size());
      array.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }
}
