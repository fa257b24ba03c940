package io.daemonset.api;

import io.daemonset.auth.Identity;

import io.daemonset.model.Status;
import io.daemonset.model.Status.StatusCause;
import io.daemonset.model.Status.StatusDetails;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A failure that the API answers with a meta/v1 Status, built the way k8s.io/apimachinery/pkg/api/errors builds
 * them, so kubectl prints the same messages as against kube-apiserver. Throw it from a route (the server's
 * exception handler turns it into the response) or turn it into a response with {@link Responses#status}.
 */
public final class ApiException extends RuntimeException {
  public static final String MODIFIED =
      "the object has been modified; please apply your changes to the latest version and try again";

  private final transient Status status;

  public ApiException(Status status) {
    super(status.message(), null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }

  public int code() {
    return status.code();
  }

  /** 400 BadRequest. */
  public static ApiException badRequest(String message) {
    return of(400, "BadRequest", message, null);
  }

  /** 401 Unauthorized: the token is missing or unknown. */
  public static ApiException unauthorized() {
    return of(401, "Unauthorized", "Unauthorized", null);
  }

  /** 403 Forbidden for a request the authorizer denied, with upstream's message. */
  public static ApiException forbidden(Identity identity, RequestAttributes request) {
    String why = Authorizer.forbiddenMessage(identity, request);
    return forbidden(request.resourceRequest() ? request.groupResource() : new GroupResource("", ""),
        request.name(), why);
  }

  /** 403 Forbidden: {@code daemonsets.apps "x" is forbidden: why}. */
  public static ApiException forbidden(GroupResource resource, String name, String why) {
    String message;
    if (resource.isEmpty()) {
      message = "forbidden: " + why;
    } else if (name == null || name.isEmpty()) {
      message = resource + " is forbidden: " + why;
    } else {
      message = resource + " " + Authorizer.quote(name) + " is forbidden: " + why;
    }
    return of(403, "Forbidden", message, details(name, resource.group(), resource.resource()));
  }

  /** 404 NotFound: {@code daemonsets.apps "x" not found}, details {name, group, kind: resource}. */
  public static ApiException notFound(GroupResource resource, String name) {
    return of(404, "NotFound", resource + " " + Authorizer.quote(name) + " not found",
        details(name, resource.group(), resource.resource()));
  }

  /** 404 for a path nothing serves. */
  public static ApiException pathNotFound() {
    return of(404, "NotFound", "the server could not find the requested resource",
        new StatusDetails(null, null, null, null, null, null));
  }

  /** 405 MethodNotAllowed: {@code delete is not supported on resources of kind "nodes/status"}. */
  public static ApiException methodNotSupported(GroupResource resource, String action) {
    return of(405, "MethodNotAllowed",
        action + " is not supported on resources of kind " + Authorizer.quote(resource.toString()),
        details(null, resource.group(), resource.resource()));
  }

  /** 406 NotAcceptable. */
  public static ApiException notAcceptable(List<String> accepted) {
    return of(406, "NotAcceptable", "only the following media types are accepted: " + String.join(", ", accepted),
        null);
  }

  /** 409 AlreadyExists: {@code daemonsets.apps "x" already exists}. */
  public static ApiException alreadyExists(GroupResource resource, String name) {
    return of(409, "AlreadyExists", resource + " " + Authorizer.quote(name) + " already exists",
        details(name, resource.group(), resource.resource()));
  }

  /** 409 Conflict: {@code Operation cannot be fulfilled on daemonsets.apps "x": why}. */
  public static ApiException conflict(GroupResource resource, String name, String why) {
    return of(409, "Conflict",
        "Operation cannot be fulfilled on " + resource + " " + Authorizer.quote(name) + ": " + why,
        details(name, resource.group(), resource.resource()));
  }

  /** 409 Conflict for a stale resourceVersion (optimistic concurrency). */
  public static ApiException modified(GroupResource resource, String name) {
    return conflict(resource, name, MODIFIED);
  }

  /** 410 Expired, e.g. {@code too old resource version: 5 (1200)} for a watch from a compacted point. */
  public static ApiException expired(String message) {
    return of(410, "Expired", message, null);
  }

  /** 413 RequestEntityTooLarge: {@code Request entity too large: limit is 3145728}. */
  public static ApiException requestEntityTooLarge(long limitBytes) {
    return of(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limitBytes, null);
  }

  /** 415 UnsupportedMediaType for a body in a format the endpoint does not take. */
  public static ApiException unsupportedMediaType(String contentType, List<String> accepted) {
    return of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types "
        + "include: " + String.join(", ", accepted), null);
  }

  /**
   * 422 Invalid: {@code DaemonSet.apps "x" is invalid: [field: message, …]}; causes carry reason
   * (FieldValueRequired, FieldValueInvalid…), message (without the field) and field path.
   */
  public static ApiException invalid(String group, String kind, String name, List<StatusCause> causes) {
    String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
    Set<String> errors = new LinkedHashSet<>();
    for (StatusCause cause : causes) {
      errors.add(cause.field() == null || cause.field().isEmpty() ? cause.message()
          : cause.field() + ": " + cause.message());
    }
    String message = qualifiedKind + " " + Authorizer.quote(name) + " is invalid";
    if (errors.size() == 1) {
      message += ": " + errors.iterator().next();
    } else if (errors.size() > 1) {
      message += ": [" + String.join(", ", errors) + "]";
    }
    return of(422, "Invalid", message, new StatusDetails(emptyToNull(name), emptyToNull(group), kind, null,
        List.copyOf(causes), null));
  }

  /** 500 InternalError: {@code Internal error occurred: message}. */
  public static ApiException internal(String message) {
    return of(500, "InternalError", "Internal error occurred: " + message,
        new StatusDetails(null, null, null, null, List.of(new StatusCause(null, message, null)), null));
  }

  /** 503 ServiceUnavailable, e.g. while the view catches up; retryAfterSeconds tells clients when to retry. */
  public static ApiException serviceUnavailable(String message, int retryAfterSeconds) {
    return of(503, "ServiceUnavailable", message,
        new StatusDetails(null, null, null, null, null, retryAfterSeconds));
  }

  /** 504 Timeout. */
  public static ApiException timeout(String message) {
    return of(504, "Timeout", "Timeout: " + message, null);
  }

  private static ApiException of(int code, String reason, String message, StatusDetails details) {
    return new ApiException(Status.failure(code, reason, message, details));
  }

  private static StatusDetails details(String name, String group, String kind) {
    return new StatusDetails(emptyToNull(name), emptyToNull(group), emptyToNull(kind), null, null, null);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
