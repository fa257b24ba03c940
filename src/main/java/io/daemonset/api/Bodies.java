package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Decoded;
import io.daemonset.model.FieldValidation;
import io.daemonset.model.Json;
import io.daemonset.model.ManifestException;
import io.daemonset.model.Manifests;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Request bodies: which media types a write takes, decoding into model records with fieldValidation
 * (Strict → 400, Warn → Warning headers, Ignore), and DeleteOptions from body and query.
 */
final class Bodies {
  static final List<String> OBJECT_MEDIA_TYPES = List.of("application/json", "application/yaml");

  private Bodies() {}

  /**
   * The request's body as text, handed to answer. A body that arrived with the request's head (a strict entity, as
   * kubectl's small bodies do) is read in place; pekko's unmarshaller would wrap it in futures and rejection handling
   * first. A body still arriving (the JDK client sends head and body apart) is collected by the unmarshaller, which
   * materializes a stream for it. Decoded as the unmarshaller decodes: the content type's charset, else UTF-8. The
   * size limit needs no check here: a strict entity has a declared length, which {@code ApiServer} checked.
   */
  static Route text(HttpRequest request, Function<String, CompletionStage<HttpResponse>> answer) {
    if (request.entity() instanceof HttpEntity.Strict strict) {
      return Directives.completeWithFuture(answer.apply(strict.getData().decodeString(charset(strict))));
    }
    return Directives.entity(Unmarshaller.entityToString(), body -> Directives.completeWithFuture(answer.apply(body)));
  }

  private static Charset charset(HttpEntity entity) {
    return entity.getContentType().getCharsetOption().map(c -> c.nioCharset()).orElse(StandardCharsets.UTF_8);
  }

  /** The media type of the request body, lower-cased, without parameters; "" when there is none. */
  static String mediaType(Call call) {
    var contentType = call.http().entity().getContentType();
    String value = contentType.mediaType().toString().toLowerCase(Locale.ROOT);
    int semicolon = value.indexOf(';');
    return semicolon < 0 ? value : value.substring(0, semicolon).trim();
  }

  /** POST and PUT take JSON or YAML objects; 415 otherwise. */
  static void requireObjectMediaType(Call call) {
    String type = mediaType(call);
    if (!OBJECT_MEDIA_TYPES.contains(type) && !type.equals("application/octet-stream") && !type.isEmpty()) {
      throw ApiException.unsupportedMediaType(type, OBJECT_MEDIA_TYPES);
    }
  }

  /**
   * The body as the typed object. Malformed documents, wrong types and (under Strict) unknown or duplicate fields
   * are upstream's 400: {@code DaemonSet in version "v1" cannot be handled as a DaemonSet: …}.
   */
  static <T> Decoded<T> decode(String body, Class<T> type, FieldValidation mode, String kind, String apiVersion) {
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest("the body of the request was empty");
    }
    try {
      return Manifests.read(body, type, mode);
    } catch (ManifestException e) {
      throw new ApiException(e.toStatus(kind, apiVersion));
    }
  }

  /** A body that must be a JSON (or YAML) object. */
  static JsonNode tree(String body) {
    try {
      JsonNode node = body.stripLeading().startsWith("{") || body.stripLeading().startsWith("[")
          ? Json.mapper().readTree(body) : Json.yamlMapper().readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("the body of the request was empty");
      }
      return node;
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("error decoding request body: " + e.getMessage());
    }
  }

  /**
   * DeleteOptions: {@code gracePeriodSeconds}, {@code propagationPolicy} (or the deprecated orphanDependents),
   * {@code preconditions} and {@code dryRun}, from the body or, as upstream also accepts, the query.
   */
  record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String uid, String resourceVersion,
                       boolean dryRun) {

    static DeleteOptions of(Call call, String body) {
      JsonNode node = body == null || body.isBlank() ? Json.mapper().createObjectNode() : tree(body);
      Long grace = node.hasNonNull("gracePeriodSeconds") ? Long.valueOf(node.get("gracePeriodSeconds").asLong())
          : call.query("gracePeriodSeconds").map(Bodies::parseLong).orElse(null);
      String policy = text(node, "propagationPolicy").or(() -> call.query("propagationPolicy")).orElse(null);
      Optional<Boolean> orphan = node.hasNonNull("orphanDependents")
          ? Optional.of(node.get("orphanDependents").asBoolean())
          : call.query("orphanDependents").map(Boolean::parseBoolean);
      if (policy == null && orphan.isPresent()) {
        policy = orphan.get() ? "Orphan" : "Background";
      }
      if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
        throw ApiException.invalid("", "DeleteOptions", "", List.of(new io.daemonset.model.Status.StatusCause(
            "FieldValueNotSupported", "Unsupported value: \"" + policy
            + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"", "propagationPolicy")));
      }
      JsonNode pre = node.path("preconditions");
      boolean dryRun = call.dryRun() || (node.path("dryRun").isArray() && node.path("dryRun").size() > 0
          && "All".equals(node.path("dryRun").get(0).asText()));
      return new DeleteOptions(grace, policy, text(pre, "uid").orElse(null),
          text(pre, "resourceVersion").orElse(null), dryRun);
    }

    /** 409 when a precondition does not hold, with upstream's words. */
    void checkPreconditions(GroupResource resource, String name, String actualUid, String actualResourceVersion) {
      if (uid != null && !uid.equals(actualUid)) {
        throw ApiException.conflict(resource, name, "Precondition failed: UID in precondition: " + uid
            + ", UID in object meta: " + actualUid);
      }
      if (resourceVersion != null && !resourceVersion.equals(actualResourceVersion)) {
        throw ApiException.conflict(resource, name, "Precondition failed: ResourceVersion in precondition: "
            + resourceVersion + ", ResourceVersion in object meta: " + actualResourceVersion);
      }
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private static Long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid value for gracePeriodSeconds: " + s);
    }
  }
}
