package io.daemonset.api;

import io.daemonset.auth.Identity;

import io.daemonset.model.Cause;
import io.daemonset.model.FieldValidation;
import java.time.Clock;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * One authorized resource request as the routes see it: who, what (the parsed attributes), the HTTP request
 * (headers, query, body), and the resource's served kind.
 */
record Call(Identity who, RequestAttributes req, HttpRequest http, ResourceKind kind) {

  Optional<String> query(String name) {
    return http.getUri().query().get(name);
  }

  String queryOr(String name, String fallback) {
    return query(name).orElse(fallback);
  }

  boolean wantsTable() {
    return Responses.wantsTable(http);
  }

  GroupResource groupResource() {
    return req.groupResource();
  }

  /** "apps/v1", "extensions/v1beta1" or "v1": the version the client speaks and is answered in. */
  String apiVersion() {
    return req.group().isEmpty() ? req.version() : req.group() + "/" + req.version();
  }

  /** The namespace of a namespaced request, null for cluster-scoped resources (the view's key convention). */
  String namespace() {
    return kind.namespaced ? req.namespace() : null;
  }

  /** dryRun=All: validate and answer, persist nothing. */
  boolean dryRun() {
    Optional<String> value = query("dryRun");
    if (value.isEmpty() || value.get().isEmpty()) {
      return false;
    }
    if (!value.get().equals("All")) {
      throw ApiException.badRequest("Invalid dryRun value \"" + value.get() + "\": only \"All\" is supported");
    }
    return true;
  }

  FieldValidation fieldValidation() {
    try {
      return FieldValidation.parse(query("fieldValidation").orElse(null));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /**
   * Who and why, for the journal: the user and what they ran ("kubectl apply" from kubectl's Kubectl-Command
   * header when present) and what it did to which object.
   */
  Cause cause(Clock clock, String action) {
    String command = http.getHeader("Kubectl-Command").map(h -> h.value()).orElse("");
    String target = req.resource() + (req.subresource().isEmpty() ? "" : "/" + req.subresource()) + " "
        + (req.namespace().isEmpty() ? "" : req.namespace() + "/") + req.name();
    String reason = (command.isEmpty() ? "API " + req.verb() : command) + ": " + action + " " + target.trim();
    return Cause.byUser(clock.instant(), who.user(), reason);
  }
}
