package io.daemonset.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.ApiResources.GroupVersion;
import io.daemonset.api.ApiResources.Resource;
import io.daemonset.api.ApiResources.Subresource;
import io.daemonset.model.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAPI: the /openapi/v3 index, one v3 document per served group version, and the v2 document (JSON, and the
 * gnostic protobuf kubectl 1.27/1.28 ask for, see {@link OpenApiV2Protobuf}). kubectl downloads them before
 * apply/create to learn whether the server validates fields itself: it looks for the PATCH operation of the
 * object's group-version-kind (x-kubernetes-group-version-kind) and its fieldValidation query parameter; when found
 * it sends fieldValidation=Strict and skips client-side schema validation. The schemas ({@link ModelSchemas}) are
 * generated from the model records, so {@code kubectl explain} walks the fields the server decodes.
 */
public final class OpenApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A rendered document and its hash (upper-case hex SHA-512, as kube-apiserver uses in serverRelativeURL). */
  public record Document(String json, String hash) {}

  private static final Map<String, Document> DOCUMENTS = buildDocuments();
  private static final ObjectNode V2 = v2Document();
  private static final String V2_JSON = Json.write(V2);
  private static final byte[] V2_PROTOBUF = OpenApiV2Protobuf.encode(V2);

  private OpenApi() {}

  /** GET /openapi/v3. */
  public static ObjectNode index() {
    ObjectNode index = F.objectNode();
    ObjectNode paths = index.putObject("paths");
    DOCUMENTS.forEach((path, doc) ->
        paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + doc.hash()));
    return index;
  }

  /** GET /openapi/v3/{path} where path is "api/v1", "apis/apps/v1" or "apis/extensions/v1beta1". */
  public static Optional<Document> document(String path) {
    return Optional.ofNullable(DOCUMENTS.get(path));
  }

  private static Map<String, Document> buildDocuments() {
    Map<String, Document> docs = new LinkedHashMap<>();
    for (GroupVersion gv : ApiResources.GROUP_VERSIONS) {
      String json = Json.write(groupVersionDocument(gv));
      docs.put(gv.path(), new Document(json, sha512(json)));
    }
    return docs;
  }

  static ObjectNode groupVersionDocument(GroupVersion gv) {
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", Discovery.GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (Resource r : ApiResources.in(gv)) {
      String base = "/" + gv.path() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.name();
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation(r, r.kind(), "list", false));
      collection.set("post", operation(r, r.kind(), "post", true));
      collection.set("delete", operation(r, r.kind(), "deletecollection", false));
      ObjectNode item = paths.putObject(base + "/{name}");
      item.set("get", operation(r, r.kind(), "get", false));
      item.set("put", operation(r, r.kind(), "put", true));
      item.set("patch", operation(r, r.kind(), "patch", true));
      item.set("delete", operation(r, r.kind(), "delete", false));
      for (Subresource s : r.subresources()) {
        ObjectNode sub = paths.putObject(base + "/{name}/" + s.name());
        sub.set("get", operation(r, s.kind(), "get", false));
        if (s.verbs().contains("update")) {
          sub.set("put", operation(r, s.kind(), "put", true));
          sub.set("patch", operation(r, s.kind(), "patch", true));
        }
      }
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    ModelSchemas.definitions().forEach((name, schema) -> schemas.set(name, v3(schema.deepCopy())));
    return doc;
  }

  /** The v2 form of a schema as v3 wants it: refs under components, a described ref wrapped in allOf. */
  private static com.fasterxml.jackson.databind.JsonNode v3(com.fasterxml.jackson.databind.JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("$ref")) {
        String target = object.get("$ref").asText().replace(ModelSchemas.REF_PREFIX, "#/components/schemas/");
        if (object.size() == 1) {
          return F.objectNode().put("$ref", target);
        }
        object.remove("$ref");
        object.putArray("allOf").addObject().put("$ref", target);
        return object;
      }
      object.fields().forEachRemaining(e -> e.setValue(v3(e.getValue())));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, v3(array.get(i)));
      }
    }
    return node;
  }

  /** GET /openapi/v2 as JSON. */
  public static String v2Json() {
    return V2_JSON;
  }

  /** GET /openapi/v2 as application/com.github.proto-openapi.spec.v2@v1.0+protobuf. */
  public static byte[] v2Protobuf() {
    return V2_PROTOBUF.clone();
  }

  static ObjectNode v2Document() {
    ObjectNode doc = F.objectNode();
    doc.put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (GroupVersion gv : ApiResources.GROUP_VERSIONS) {
      groupVersionDocument(gv).get("paths").fields().forEachRemaining(path -> {
        ObjectNode item = paths.putObject(path.getKey());
        path.getValue().fields().forEachRemaining(op -> item.set(op.getKey(), v2Operation((ObjectNode) op.getValue())));
      });
    }
    ObjectNode definitions = doc.putObject("definitions");
    ModelSchemas.definitions().forEach(definitions::set);
    return doc;
  }

  private static ObjectNode v2Operation(ObjectNode v3) {
    ObjectNode op = v3.deepCopy();
    ArrayNode params = F.arrayNode();
    op.withArray("parameters").forEach(p -> params.addObject().put("name", p.path("name").asText())
        .put("in", p.path("in").asText()).put("type", "string").put("uniqueItems", true));
    op.set("parameters", params);
    op.putObject("responses").putObject("200").put("description", "OK");
    return op;
  }

  private static ObjectNode operation(Resource r, String kind, String action, boolean writes) {
    ObjectNode op = F.objectNode();
    ArrayNode params = op.putArray("parameters");
    if (writes) {
      for (String name : new String[] {"dryRun", "fieldManager", "fieldValidation"}) {
        ObjectNode p = params.addObject();
        p.put("in", "query");
        p.put("name", name);
        p.putObject("schema").put("type", "string").put("uniqueItems", true);
      }
    }
    op.putObject("responses");
    op.put("x-kubernetes-action", action);
    ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", r.group());
    gvk.put("kind", kind);
    gvk.put("version", r.version());
    return op;
  }

  private static String sha512(String json) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
