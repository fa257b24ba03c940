package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies a PATCH body to an object's JSON, by the request's Content-Type. Stand-in until the api.patch engine
 * lands on main: RFC 7386 merge patch, RFC 6902 JSON patch (zjsonpatch), and a strategic merge patch reduced to
 * what kubectl sends here (merge patch whose lists of named objects merge by name, {@code $patch: replace},
 * {@code $setElementOrder/…} and {@code $retainKeys} directives honoured or dropped).
 */
final class Patching {
  static final String MERGE = "application/merge-patch+json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String STRATEGIC = "application/strategic-merge-patch+json";
  static final String APPLY = "application/apply-patch+yaml";
  static final List<String> TYPES = List.of(JSON_PATCH, MERGE, STRATEGIC, APPLY);

  /** Which objects a schema knows, for the strategic merge (kept for the engine's PatchSchema). */
  enum Schema { DAEMONSET, NODE, POD }

  private Patching() {}

  static void requirePatchType(Call call) {
    if (!TYPES.contains(Bodies.mediaType(call))) {
      throw ApiException.unsupportedMediaType(Bodies.mediaType(call), TYPES);
    }
  }

  static JsonNode apply(Call call, JsonNode current, String body, Schema schema) {
    String type = Bodies.mediaType(call);
    try {
      return switch (type) {
        case JSON_PATCH -> JsonPatch.apply(Bodies.tree(body), current);
        case MERGE -> merge(current, Bodies.tree(body), false);
        case STRATEGIC, APPLY -> merge(current, Bodies.tree(body), true);
        default -> throw ApiException.unsupportedMediaType(type, TYPES);
      };
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ApiException(io.daemonset.model.Status.failure(422, "Invalid",
          "the server rejected our request due to an error in our request: " + e.getMessage(), null));
    }
  }

  private static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if (strategic && "replace".equals(patch.path("$patch").asText())) {
      ObjectNode replaced = patch.deepCopy();
      replaced.remove("$patch");
      return strip(replaced);
    }
    ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (strategic && (key.startsWith("$setElementOrder/") || key.startsWith("$retainKeys")
          || key.startsWith("$deleteFromPrimitiveList/") || key.equals("$patch"))) {
        continue;
      }
      if (value.isNull()) {
        out.remove(key);
      } else if (value.isObject()) {
        out.set(key, merge(out.get(key), value, strategic));
      } else if (strategic && value.isArray() && out.get(key) instanceof ArrayNode existing && named(value)
          && named(existing)) {
        out.set(key, mergeByName(existing, (ArrayNode) value));
      } else {
        out.set(key, strategic ? strip(value.deepCopy()) : value.deepCopy());
      }
    }
    return out;
  }

  private static boolean named(JsonNode array) {
    for (JsonNode e : array) {
      if (!e.isObject() || !e.has("name")) {
        return false;
      }
    }
    return array.size() > 0;
  }

  private static ArrayNode mergeByName(ArrayNode existing, ArrayNode patch) {
    ArrayNode out = existing.deepCopy();
    for (JsonNode p : patch) {
      String name = p.path("name").asText();
      boolean delete = "delete".equals(p.path("$patch").asText());
      int found = -1;
      for (int i = 0; i < out.size(); i++) {
        if (name.equals(out.get(i).path("name").asText())) {
          found = i;
        }
      }
      if (delete) {
        if (found >= 0) {
          out.remove(found);
        }
      } else if (found >= 0) {
        out.set(found, merge(out.get(found), p, true));
      } else {
        out.add(strip(p.deepCopy()));
      }
    }
    return out;
  }

  private static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> directives = new java.util.ArrayList<>();
      object.fieldNames().forEachRemaining(n -> {
        if (n.startsWith("$")) {
          directives.add(n);
        }
      });
      directives.forEach(object::remove);
      object.forEach(Patching::strip);
    } else if (node instanceof ArrayNode array) {
      array.forEach(Patching::strip);
    }
    return node;
  }
}
