package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON helpers shared by the patch functions. Why they exist: Jackson's {@code equals} tells IntNode(80)
 * from LongNode(80) and DoubleNode(80.0), while Go decodes every JSON number to one type, so a merge key
 * or a {@code test} value must compare numbers by value; and Go's encoding/json writes map keys sorted.
 */
final class Nodes {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Nodes() {}

  static ObjectNode object() {
    return F.objectNode();
  }

  static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** Deep equality that compares numbers by value, as Go's reflect.DeepEqual on decoded JSON does. */
  static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.getNodeType() != b.getNodeType()) {
      return false;
    }
    if (a.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!b.has(e.getKey()) || !equal(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Canonical JSON text: keys sorted, numbers in their shortest exact form. Equal values, equal text. */
  static String canonical(JsonNode node) {
    try {
      return Json.mapper().writeValueAsString(sorted(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A deep copy with object keys sorted and integral numbers as IntNode/LongNode, as a JSON parser makes them. */
  static JsonNode sorted(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      TreeMap<String, JsonNode> keys = new TreeMap<>();
      node.properties().forEach(e -> keys.put(e.getKey(), sorted(e.getValue())));
      ObjectNode out = object();
      keys.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node.isNumber() ? number(node.decimalValue()) : node.deepCopy();
  }

  /** A deep copy, key order kept, with every number as a JSON parser would produce it (see {@link #number}). */
  static JsonNode withJsonNumbers(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = object();
      node.properties().forEach(e -> out.set(e.getKey(), withJsonNumbers(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      node.forEach(item -> out.add(withJsonNumbers(item)));
      return out;
    }
    return node.isNumber() ? number(node.decimalValue()) : node.deepCopy();
  }

  /** Numbers as a JSON parser would produce them: 80.0 and 80L both become IntNode(80). */
  static JsonNode number(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      try {
        long l = stripped.longValueExact();
        return l == (int) l ? F.numberNode((int) l) : F.numberNode(l);
      } catch (ArithmeticException tooBig) {
        return F.numberNode(stripped.toBigIntegerExact());
      }
    }
    return F.numberNode(value.doubleValue());
  }

  /** RFC 7386 values: object members that are null are dropped, at any depth (array elements are kept). */
  static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = object();
      node.properties().forEach(e -> {
        if (!e.getValue().isNull()) {
          out.set(e.getKey(), withoutNulls(e.getValue()));
        }
      });
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      node.forEach(item -> out.add(withoutNulls(item)));
      return out;
    }
    return node.deepCopy();
  }

  /** "string", "number", "map"… for error messages in Go's terms. */
  static String goType(JsonNode node) {
    if (isAbsent(node)) {
      return "<nil>";
    }
    return switch (node.getNodeType()) {
      case OBJECT -> "map[string]interface {}";
      case ARRAY -> "[]interface {}";
      case STRING -> "string";
      case NUMBER -> "float64";
      case BOOLEAN -> "bool";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** A value as Go's %v prints decoded JSON, close enough for error messages: map[a:1 b:x]. */
  static String goString(JsonNode node) {
    if (isAbsent(node)) {
      return "<nil>";
    }
    if (node.isObject()) {
      StringBuilder sb = new StringBuilder("map[");
      TreeMap<String, JsonNode> keys = new TreeMap<>();
      node.properties().forEach(e -> keys.put(e.getKey(), e.getValue()));
      keys.forEach((k, v) -> sb.append(sb.length() > 4 ? " " : "").append(k).append(':').append(goString(v)));
      return sb.append(']').toString();
    }
    if (node.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      node.forEach(v -> sb.append(sb.length() > 1 ? " " : "").append(goString(v)));
      return sb.append(']').toString();
    }
    return node.isTextual() ? node.textValue() : node.toString();
  }
}
