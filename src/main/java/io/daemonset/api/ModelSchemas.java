package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.patch.PatchSchema;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Event;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.model.Quantity;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI schemas of the served kinds, generated from the model records the API decodes requests into (so the
 * schema kubectl validates and explains with and the fields the server accepts come from one source), with the
 * list and patch metadata of {@link PatchSchema} (the rules the patch engine merges by) written into them as
 * {@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-patch-strategy} and
 * {@code x-kubernetes-patch-merge-key}. Ints-or-strings and quantities get upstream's definitions and formats.
 * <p>Schemas reference each other as {@code "$ref": "#/definitions/NAME"}; the v3 documents rewrite the prefix.
 * A field typed as a raw JSON tree (parts of the pod spec this control plane passes through) is an object that
 * preserves unknown fields. Descriptions come from {@link SchemaDescriptions}.
 */
final class ModelSchemas {
  static final String REF_PREFIX = "#/definitions/";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A served kind: the record it decodes into, its group versions, and its patch rules. */
  record Kind(Class<?> type, String kind, List<String[]> groupVersions, PatchSchema patch) {}

  static final List<Kind> KINDS = List.of(
      new Kind(DaemonSet.class, "DaemonSet", List.of(new String[] {"apps", "v1"},
          new String[] {"extensions", "v1beta1"}), PatchSchema.DAEMONSET),
      new Kind(Node.class, "Node", List.<String[]>of(new String[] {"", "v1"}), PatchSchema.NODE),
      new Kind(Pod.class, "Pod", List.<String[]>of(new String[] {"", "v1"}), PatchSchema.POD),
      new Kind(ControllerRevision.class, "ControllerRevision", List.<String[]>of(new String[] {"apps", "v1"}),
          PatchSchema.ATOMIC),
      new Kind(Event.class, "Event", List.<String[]>of(new String[] {"", "v1"}), PatchSchema.ATOMIC),
      new Kind(io.daemonset.model.Lease.class, "Lease", List.<String[]>of(new String[] {"coordination.k8s.io", "v1"}),
          PatchSchema.ATOMIC));

  private static final Map<String, ObjectNode> DEFINITIONS = build();

  private ModelSchemas() {}

  /** Every definition by name (a copy each call is not needed: callers only read). */
  static Map<String, ObjectNode> definitions() {
    return DEFINITIONS;
  }

  /** The definition name of a served kind. */
  static String nameOf(Kind kind) {
    return definitionName(kind.type());
  }

  static Kind kind(String name) {
    return KINDS.stream().filter(k -> k.kind().equals(name)).findFirst().orElseThrow();
  }

  private static Map<String, ObjectNode> build() {
    Map<String, ObjectNode> defs = new LinkedHashMap<>();
    defs.put(INT_OR_STRING, F.objectNode().put("description", SchemaDescriptions.INT_OR_STRING)
        .put("type", "string").put("format", "int-or-string"));
    defs.put(QUANTITY, F.objectNode().put("description", SchemaDescriptions.QUANTITY).put("type", "string")
        .put("format", "quantity"));
    defs.put(TIME, F.objectNode().put("description", SchemaDescriptions.TIME).put("type", "string")
        .put("format", "date-time"));
    for (Kind kind : KINDS) {
      record(kind.type(), "", kind.patch(), defs);
      ObjectNode root = defs.get(nameOf(kind));
      var gvks = root.putArray("x-kubernetes-group-version-kind");
      for (String[] gv : kind.groupVersions()) {
        gvks.addObject().put("group", gv[0]).put("kind", kind.kind()).put("version", gv[1]);
      }
    }
    return defs;
  }

  private static String definitionName(Class<?> type) {
    return "io.daemonset.model." + type.getSimpleName();
  }

  /** The definition of a record type, generated once (the first path it is met at decides its patch rules). */
  private static void record(Class<?> type, String path, PatchSchema patch, Map<String, ObjectNode> defs) {
    String name = definitionName(type);
    if (defs.containsKey(name)) {
      return;
    }
    ObjectNode schema = F.objectNode();
    defs.put(name, schema);
    SchemaDescriptions.of(type.getSimpleName(), "").ifPresent(d -> schema.put("description", d));
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (RecordComponent component : type.getRecordComponents()) {
      String field = component.getName();
      String fieldPath = path.isEmpty() ? field : path + "." + field;
      ObjectNode property = schemaOf(component.getGenericType(), fieldPath, patch, defs);
      SchemaDescriptions.of(type.getSimpleName(), field).ifPresent(d -> property.put("description", d));
      if (property.path("type").asText().equals("array")) {
        listRules(property, patch.list(fieldPath));
      }
      if (patch.atomicMap(fieldPath)) {
        property.put("x-kubernetes-map-type", "atomic");
      }
      properties.set(field, property);
    }
  }

  private static void listRules(ObjectNode property, PatchSchema.ListRule rule) {
    property.put("x-kubernetes-list-type", rule.type().name().toLowerCase(java.util.Locale.ROOT));
    if (rule.type() == PatchSchema.ListType.MAP) {
      var keys = property.putArray("x-kubernetes-list-map-keys");
      rule.keys().forEach(keys::add);
    }
    if (rule.merge()) {
      property.put("x-kubernetes-patch-strategy", "merge");
      if (!rule.mergeKey().isEmpty()) {
        property.put("x-kubernetes-patch-merge-key", rule.mergeKey());
      }
    }
  }

  private static ObjectNode schemaOf(Type type, String path, PatchSchema patch, Map<String, ObjectNode> defs) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
        ObjectNode array = F.objectNode().put("type", "array");
        array.set("items", schemaOf(args[0], path + "[]", patch, defs));
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = F.objectNode().put("type", "object");
        map.set("additionalProperties", schemaOf(args[1], path + "[]", patch, defs));
        return map;
      }
      return schemaOf(raw, path, patch, defs);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return F.objectNode().put("type", "string");
    } else if (c == Integer.class || c == int.class) {
      return F.objectNode().put("type", "integer").put("format", "int32");
    } else if (c == Long.class || c == long.class) {
      return F.objectNode().put("type", "integer").put("format", "int64");
    } else if (c == Boolean.class || c == boolean.class) {
      return F.objectNode().put("type", "boolean");
    } else if (c == Double.class || c == double.class) {
      return F.objectNode().put("type", "number").put("format", "double");
    } else if (c == Instant.class) {
      return ref(TIME);
    } else if (c == IntOrString.class) {
      return ref(INT_OR_STRING);
    } else if (c == Quantity.class) {
      return ref(QUANTITY);
    } else if (JsonNode.class.isAssignableFrom(c) || c == Object.class) {
      return F.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    } else if (c.isEnum()) {
      ObjectNode e = F.objectNode().put("type", "string");
      var values = e.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(constant.toString());
      }
      return e;
    } else if (c.isRecord()) {
      record(c, path, patch, defs);
      return ref(definitionName(c));
    }
    return F.objectNode().put("type", "string");
  }

  private static ObjectNode ref(String name) {
    return F.objectNode().put("$ref", REF_PREFIX + name);
  }
}
