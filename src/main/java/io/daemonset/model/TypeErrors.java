package io.daemonset.model;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Turns Jackson's mapping failures into one clear sentence naming the field, in the spirit of Go's
 * "cannot unmarshal string into Go struct field ... of type int32":
 * {@code spec.minReadySeconds: cannot unmarshal string "abc" into a 32-bit integer}.
 */
final class TypeErrors {
  private TypeErrors() {}

  static ManifestException describe(JsonMappingException e, JsonNode tree) {
    String path = "";
    JsonNode node = tree;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path = path + "[" + ref.getIndex() + "]";
        node = node == null ? null : node.get(ref.getIndex());
      } else {
        path = Manifests.join(path, ref.getFieldName());
        node = node == null ? null : node.get(ref.getFieldName());
      }
    }
    Class<?> target = target(e);
    String detail = "cannot unmarshal " + given(node) + " into " + expected(target);
    if (target == Quantity.class && node != null && node.isValueNode()) {
      try {
        Quantity.parse(node.asText());
      } catch (IllegalArgumentException bad) {
        detail = detail + ": " + bad.getMessage();
      }
    }
    return ManifestException.atField(path, detail);
  }

  private static Class<?> target(JsonMappingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (original.contains("out of range of int")) {
      return Integer.class; // Jackson's number-overflow error carries no target type
    }
    if (original.contains("out of range of long")) {
      return Long.class;
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return m.getTargetType();
    }
    if (e instanceof ValueInstantiationException v) {
      JavaType t = v.getType();
      return t == null ? Object.class : t.getRawClass();
    }
    return Object.class;
  }

  private static String given(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string " + BadValues.quote(node.asText());
    }
    if (node.isNumber()) {
      return "number " + node.asText();
    }
    if (node.isBoolean()) {
      return "bool " + node.asText();
    }
    return node.isArray() ? "array" : "object";
  }

  private static String expected(Class<?> t) {
    if (t == Integer.class || t == int.class || t == Short.class || t == short.class) {
      return "a 32-bit integer";
    }
    if (t == Long.class || t == long.class) {
      return "a 64-bit integer";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "a bool";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
      return "a number";
    }
    if (t == Quantity.class) {
      return "a quantity";
    }
    if (t == IntOrString.class) {
      return "an integer or a string";
    }
    if (t == Instant.class) {
      return "an RFC 3339 time";
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "an object (" + t.getSimpleName() + ")";
    }
    return t.getSimpleName();
  }
}
