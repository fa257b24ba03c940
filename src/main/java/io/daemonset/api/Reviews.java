package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.Authorizer.Decision;
import io.daemonset.auth.Identity;
import io.daemonset.model.Json;
import io.daemonset.model.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a user may do and who they are, asked of the same {@link Authorizer} the routes use:
 * <ul>
 *   <li>{@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews} ({@code kubectl auth can-i VERB
 *       RESOURCE}): the review's resource or non-resource attributes decided for the caller;</li>
 *   <li>{@code POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews} ({@code kubectl auth can-i --list}):
 *       every served resource, subresource and verb, and the non-resource paths, decided for the caller and
 *       grouped into rules; a caller allowed everything gets upstream's wildcard rules;</li>
 *   <li>{@code POST /apis/authentication.k8s.io/v1/selfsubjectreviews} ({@code kubectl auth whoami}): the
 *       caller's user info.</li>
 * </ul>
 * Pure: a request in, a response object or an {@link ApiException} out (400 for a body that is not the review,
 * 422 for a review without the attributes it needs, 405 for another method).
 */
final class Reviews {
  static final String AUTHORIZATION_V1 = "authorization.k8s.io/v1";
  static final String AUTHENTICATION_V1 = "authentication.k8s.io/v1";
  static final String ACCESS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  static final String RULES = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  static final String WHOAMI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
  private static final List<String> PROBED_VERBS = List.of("get", "list", "watch", "create", "update", "patch",
      "delete", "deletecollection");
  private static final List<String> NON_RESOURCE_PATHS = List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
      "/livez", "/readyz", "/openapi", "/openapi/*", "/version", "/version/", "/metrics", "/audit");

  private Reviews() {}

  /** The review a path names, when it names one. */
  static boolean isReview(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.equals(ACCESS) || p.equals(RULES) || p.equals(WHOAMI);
  }

  /** The answer (201 with the review and its status) to a POST of body to path by who. */
  static JsonNode answer(String method, String path, String contentType, byte[] body, Identity who,
                         Authorizer authorizer) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String kind = p.equals(ACCESS) ? "SelfSubjectAccessReview" : p.equals(RULES) ? "SelfSubjectRulesReview"
        : "SelfSubjectReview";
    String apiVersion = p.equals(WHOAMI) ? AUTHENTICATION_V1 : AUTHORIZATION_V1;
    if (!method.equals("POST")) {
      String resource = p.substring(p.lastIndexOf('/') + 1);
      throw new ApiException(Status.failure(405, "MethodNotAllowed", method + " is not supported on "
          + resource + ": reviews are created (POST) only", null));
    }
    ObjectNode review = KubeProtobuf.isProtobuf(contentType)
        ? check(KubeProtobuf.read(body, kind.equals("SelfSubjectAccessReview") ? KubeProtobuf.ACCESS_REVIEW
            : kind.equals("SelfSubjectRulesReview") ? KubeProtobuf.RULES_REVIEW : KubeProtobuf.SELF_REVIEW),
            kind, apiVersion)
        : read(new String(body, java.nio.charset.StandardCharsets.UTF_8), kind, apiVersion);
    review.put("apiVersion", apiVersion).put("kind", kind);
    if (!review.has("metadata")) {
      review.putObject("metadata").putNull("creationTimestamp");
    }
    switch (kind) {
      case "SelfSubjectAccessReview" -> review.set("status", access(review.path("spec"), who, authorizer));
      case "SelfSubjectRulesReview" -> review.set("status", rules(review.path("spec"), who, authorizer));
      default -> review.putObject("status").set("userInfo", userInfo(who));
    }
    return review;
  }

  private static ObjectNode read(String body, String kind, String apiVersion) {
    JsonNode tree;
    try {
      tree = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("the body of the request could not be decoded as a " + kind + ": "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (!(tree instanceof ObjectNode object)) {
      throw ApiException.badRequest("the body of the request must be a " + kind + " object");
    }
    return check(object, kind, apiVersion);
  }

  private static ObjectNode check(ObjectNode object, String kind, String apiVersion) {
    String sentKind = object.path("kind").asText("");
    String sentVersion = object.path("apiVersion").asText("");
    if (!sentKind.isEmpty() && !sentKind.equals(kind)) {
      throw ApiException.badRequest("the kind in the data (" + sentKind + ") does not match the expected kind ("
          + kind + ")");
    }
    if (!sentVersion.isEmpty() && !sentVersion.equals(apiVersion)) {
      throw ApiException.badRequest("the API version in the data (" + sentVersion
          + ") does not match the expected API version (" + apiVersion + ")");
    }
    return object;
  }

  private static ObjectNode access(JsonNode spec, Identity who, Authorizer authorizer) {
    JsonNode resource = spec.path("resourceAttributes");
    JsonNode nonResource = spec.path("nonResourceAttributes");
    if (resource.isObject() == nonResource.isObject()) {
      throw invalid("SelfSubjectAccessReview", "spec.resourceAttributes", resource.isObject() ? "{...}" : "null",
          "exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }
    RequestAttributes attributes = resource.isObject()
        ? RequestAttributes.resource(text(resource, "verb"), text(resource, "group"), text(resource, "resource"),
            text(resource, "subresource"), text(resource, "namespace"), text(resource, "name"))
        : RequestAttributes.nonResource(text(nonResource, "verb"), text(nonResource, "path"));
    Decision decision = authorizer.decide(who, attributes);
    ObjectNode status = Json.mapper().createObjectNode().put("allowed", decision.allowed());
    if (decision.allowed()) {
      status.put("reason", decision.reason());
    }
    return status;
  }

  /** One rule per resource with the verbs allowed on it; wildcards when the caller may do anything at all. */
  private static ObjectNode rules(JsonNode spec, Identity who, Authorizer authorizer) {
    String namespace = spec.path("namespace").asText("");
    ObjectNode status = Json.mapper().createObjectNode();
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    if (authorizer.decide(who, RequestAttributes.resource("*", "*", "*", "", namespace, "")).allowed()) {
      resourceRules.addObject().<ObjectNode>set("verbs", strings(List.of("*")))
          .<ObjectNode>set("apiGroups", strings(List.of("*"))).set("resources", strings(List.of("*")));
      nonResourceRules.addObject().<ObjectNode>set("verbs", strings(List.of("*")))
          .set("nonResourceURLs", strings(List.of("*")));
      status.put("incomplete", false);
      return status;
    }
    for (ProbedRule rule : probe(who, authorizer, namespace)) {
      ObjectNode out = resourceRules.addObject();
      out.set("verbs", strings(rule.verbs()));
      out.set("apiGroups", strings(List.of(rule.group())));
      out.set("resources", strings(List.of(rule.resource())));
      if (!rule.name().isEmpty()) {
        out.set("resourceNames", strings(List.of(rule.name())));
      }
    }
    List<String> paths = new ArrayList<>();
    for (String path : NON_RESOURCE_PATHS) {
      if (authorizer.decide(who, RequestAttributes.nonResource("get", path.replace("*", "x"))).allowed()) {
        paths.add(path);
      }
    }
    if (!paths.isEmpty()) {
      nonResourceRules.addObject().<ObjectNode>set("verbs", strings(List.of("get"))).set("nonResourceURLs",
          strings(paths));
    }
    status.put("incomplete", false);
    return status;
  }

  private record ProbedRule(String group, String resource, String name, List<String> verbs) {}

  /** Every served resource and subresource with every verb, then (for a node) its own name where that helps. */
  private static List<ProbedRule> probe(Identity who, Authorizer authorizer, String namespace) {
    Map<String, ProbedRule> rules = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ApiResources.Resource served : ApiResources.ALL) {
      List<String> targets = new ArrayList<>();
      targets.add("");
      served.subresources().forEach(s -> targets.add(s.name()));
      for (String sub : targets) {
        String resource = sub.isEmpty() ? served.name() : served.name() + "/" + sub;
        if (!seen.add(served.group() + "|" + resource)) {
          continue;
        }
        String ns = served.namespaced() ? namespace : "";
        List<String> verbs = allowed(who, authorizer, served.group(), served.name(), sub, ns, "");
        if (!verbs.isEmpty()) {
          rules.put(served.group() + "|" + resource, new ProbedRule(served.group(), resource, "", verbs));
        }
        Optional<String> own = who.nodeName();
        if (own.isPresent() && served.group().isEmpty() && served.name().equals("nodes")) {
          List<String> named = new ArrayList<>(allowed(who, authorizer, "", "nodes", sub, "", own.get()));
          named.removeAll(verbs);
          if (!named.isEmpty()) {
            rules.put("|" + resource + "|" + own.get(), new ProbedRule("", resource, own.get(), named));
          }
        }
      }
    }
    return List.copyOf(rules.values());
  }

  private static List<String> allowed(Identity who, Authorizer authorizer, String group, String resource,
                                      String sub, String namespace, String name) {
    List<String> verbs = new ArrayList<>();
    for (String verb : PROBED_VERBS) {
      if (authorizer.decide(who, RequestAttributes.resource(verb, group, resource, sub, namespace, name))
          .allowed()) {
        verbs.add(verb);
      }
    }
    return verbs;
  }

  private static ObjectNode userInfo(Identity who) {
    ObjectNode info = Json.mapper().createObjectNode().put("username", who.user());
    if (!who.uid().isEmpty()) {
      info.put("uid", who.uid());
    }
    info.set("groups", strings(who.groups().stream().sorted().toList()));
    return info;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = Json.mapper().createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).asText("");
  }

  private static ApiException invalid(String kind, String field, String value, String detail) {
    String message = kind + ".authorization.k8s.io \"\" is invalid: " + field + ": Invalid value: \"" + value
        + "\": " + detail;
    return new ApiException(Status.failure(422, "Invalid", message, new Status.StatusDetails(null,
        "authorization.k8s.io", kind, null, List.of(new Status.StatusCause("FieldValueInvalid",
            "Invalid value: \"" + value + "\": " + detail, field)), null)));
  }
}
