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
 * A minimal OpenAPI v3: the /openapi/v3 index and one document per served group version. kubectl downloads it
 * before apply/create to learn whether the server validates fields itself: it looks for the PATCH operation of
 * the object's group-version-kind (x-kubernetes-group-version-kind) and its fieldValidation query parameter; when
 * found it sends fieldValidation=Strict and skips client-side schema validation. Without a document (404), or
 * with a group version missing from the index, kubectl refuses to apply unless --validate=false. Schemas are left
 * empty (no kubectl explain).
 */
public final class OpenApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A rendered document and its hash (upper-case hex SHA-512, as kube-apiserver uses in serverRelativeURL). */
  public record Document(String json, String hash) {}

  private static final Map<String, Document> DOCUMENTS = buildDocuments();

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
    doc.putObject("components").putObject("schemas");
    return doc;
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
