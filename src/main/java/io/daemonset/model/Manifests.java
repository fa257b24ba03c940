package io.daemonset.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a JSON or YAML document into a typed API object (DaemonSet, Node, Pod...) and reports, instead of dropping,
 * every field the type cannot hold and every field set twice, with its path; so the API layer can implement
 * fieldValidation=Strict|Warn|Ignore as kube-apiserver does.
 *
 * <p>How: unknown fields come from walking the document tree against the target type as Jackson itself introspects
 * it (so names, @JsonProperty and generics agree with the real decoding); duplicates from Jackson's token stream;
 * the typed value from Jackson with upstream's strictness about types (no "5" for an int, no true for a string,
 * no 1.5 for an int). A wrong type is a {@link ManifestException} naming the field path. A YAML stream is read up
 * to its first document, as a request body holds one object.
 */
public final class Manifests {
  private static final ObjectMapper JSON = strict(Json.mapper());
  private static final ObjectMapper YAML = strict(Json.yamlMapper());
  private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();
  /**
   * One reader per target type and mapper: {@code readerFor} looks the root deserializer up again on every call
   * (a quarter of decoding a pod status report, cold).
   */
  private static final Map<JavaType, ObjectReader> JSON_READERS = new ConcurrentHashMap<>();
  private static final Map<JavaType, ObjectReader> YAML_READERS = new ConcurrentHashMap<>();

  private Manifests() {}

  /**
   * Decodes under the given mode: Strict throws on any unknown or duplicate field, Warn returns them (see
   * {@link Decoded#warnings()}), Ignore drops them silently.
   *
   * @throws ManifestException for malformed documents, values of the wrong type, and Strict violations
   */
  public static <T> Decoded<T> read(String document, Class<T> type, FieldValidation mode) {
    Decoded<T> decoded = decode(document, type);
    return switch (mode) {
      case STRICT -> {
        if (!decoded.problems().isEmpty()) {
          throw ManifestException.strict(decoded.problems());
        }
        yield decoded;
      }
      case WARN -> decoded;
      case IGNORE -> new Decoded<>(decoded.value(), List.of());
    };
  }

  /** Decodes and reports every unknown and duplicate field; never throws for those. */
  public static <T> Decoded<T> decode(String document, Class<T> type) {
    return decode(document, JSON.getTypeFactory().constructType(type));
  }

  /** For generic targets, e.g. {@code KubeList<DaemonSet>}. */
  public static <T> Decoded<T> decode(String document, JavaType type) {
    String text = document == null ? "" : document;
    ObjectMapper mapper = text.stripLeading().startsWith("{") ? JSON : YAML;
    JsonNode tree = mapper == JSON ? withoutDuplicates(text) : null;
    boolean mayHoldDuplicates = tree == null;
    if (tree == null) {
      try {
        tree = mapper.readTree(text);
      } catch (JsonProcessingException e) {
        throw ManifestException.malformed("invalid document: " + e.getOriginalMessage() + location(e));
      }
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw ManifestException.malformed("invalid document: empty");
    }
    List<DecodeProblem> problems = new ArrayList<>();
    walk(mapper, tree, type, null, problems);
    if (mayHoldDuplicates) {
      problems.addAll(duplicates(mapper, text));
    }
    try {
      ObjectReader reader = (mapper == JSON ? JSON_READERS : YAML_READERS)
          .computeIfAbsent(type, mapper::readerFor);
      T value = reader.readValue(text);
      return new Decoded<>(value, List.copyOf(problems));
    } catch (JsonMappingException e) {
      throw TypeErrors.describe(e, tree);
    } catch (IOException e) {
      throw ManifestException.malformed("invalid document: " + e.getMessage());
    }
  }

  /** Go's decoder does not convert between JSON types; neither does this one (numbers may become quantities). */
  private static ObjectMapper strict(ObjectMapper base) {
    ObjectMapper m = base.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /**
   * Unknown fields: object keys the target record has no property for, at any depth, in document order. The path is
   * a chain of steps, spelled out only for a field reported: building a path string for every field of every body
   * was most of this walk's cost.
   */
  private static void walk(ObjectMapper mapper, JsonNode node, JavaType type, Step path, List<DecodeProblem> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      for (int i = 0; i < node.size(); i++) {
        walk(mapper, node.get(i), type.getContentType(), new Step(path, null, i), out);
      }
    } else if (node.isObject() && type.isMapLikeType()) {
      node.properties().forEach(e -> walk(mapper, e.getValue(), type.getContentType(),
          new Step(path, e.getKey(), -1), out));
    } else if (node.isObject() && type.getRawClass().isRecord()) {
      Map<String, JavaType> properties = PROPERTIES.computeIfAbsent(type, t -> properties(mapper, t));
      node.properties().forEach(e -> {
        JavaType propertyType = properties.get(e.getKey());
        if (propertyType == null) {
          out.add(new DecodeProblem(DecodeProblem.Kind.UNKNOWN_FIELD, new Step(path, e.getKey(), -1).toString()));
        } else if (e.getValue().isContainerNode()) {
          walk(mapper, e.getValue(), propertyType, new Step(path, e.getKey(), -1), out);
        }
      });
    }
    // anything else is a scalar, free-form JSON (JsonNode, Object) or a type error the typed read reports
  }

  /** One step of a field path: a field name, or an index when name is null. */
  private record Step(Step parent, String name, int index) {
    @Override
    public String toString() {
      String before = parent == null ? "" : parent.toString();
      return name == null ? before + "[" + index + "]" : join(before, name);
    }
  }

  private static Map<String, JavaType> properties(ObjectMapper mapper, JavaType type) {
    BeanDescription description = mapper.getDeserializationConfig().introspect(type);
    Map<String, JavaType> out = new LinkedHashMap<>();
    for (BeanPropertyDefinition p : description.findProperties()) {
      out.put(p.getName(), p.getPrimaryType());
    }
    return out;
  }

  /**
   * The tree of a JSON document read with the parser's own duplicate detection: a document without duplicate keys (every
   * agent's status report) then needs no second pass to look for them, a pass that built a path string for every
   * value. Null when that read fails for any reason (a duplicate key, malformed JSON): the caller reads as before, for
   * the same paths and messages.
   */
  private static JsonNode withoutDuplicates(String text) {
    try (JsonParser p = JSON.getFactory().createParser(text)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      return JSON.readTree(p);
    } catch (IOException e) {
      return null;
    }
  }

  /** Duplicate keys in any object, found on the token stream (the tree keeps only the last value). */
  private static List<DecodeProblem> duplicates(ObjectMapper mapper, String text) {
    List<DecodeProblem> out = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        switch (t) {
          case FIELD_NAME -> {
            Frame f = stack.peek();
            f.name = p.currentName();
            if (!f.keys.add(f.name)) {
              out.add(new DecodeProblem(DecodeProblem.Kind.DUPLICATE_FIELD, join(f.path, f.name)));
            }
          }
          case START_OBJECT, START_ARRAY -> stack.push(new Frame(stack.isEmpty() ? "" : stack.peek().valuePath(),
              t == JsonToken.START_ARRAY));
          case END_OBJECT, END_ARRAY -> stack.pop();
          default -> {
            if (!stack.isEmpty()) {
              stack.peek().valuePath(); // a scalar takes an array slot
            }
          }
        }
      }
    } catch (IOException e) {
      throw ManifestException.malformed("invalid document: " + e.getMessage());
    }
    return out;
  }

  /** Where the parser stands: an object (its keys so far, the current key) or an array (the next index). */
  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> keys = new HashSet<>();
    String name;
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String valuePath() {
      return array ? path + "[" + index++ + "]" : join(path, name);
    }
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String location(JsonProcessingException e) {
    boolean located = e.getOriginalMessage() != null && e.getOriginalMessage().contains("line ");
    return e.getLocation() == null || located ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
