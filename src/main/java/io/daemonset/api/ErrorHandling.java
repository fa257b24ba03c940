package io.daemonset.api;

import io.daemonset.model.Status;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AuthenticationFailedRejection;
import org.apache.pekko.http.javadsl.server.AuthorizationFailedRejection;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnacceptedResponseContentTypeRejection;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.javadsl.server.ValidationRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every rejection and exception into a Kubernetes Status in JSON: kubectl prints Status messages, and
 * prints HTML or plain text bodies as "the server could not find the requested resource" or worse. Whatever
 * pekko-http's default handler would answer in plain text is re-wrapped as a Status with the same code.
 */
public final class ErrorHandling {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);
  static final List<String> BODY_MEDIA_TYPES = List.of("application/json", "application/yaml",
      "application/strategic-merge-patch+json", "application/merge-patch+json", "application/json-patch+json",
      "application/apply-patch+yaml");

  private ErrorHandling() {}

  public static RejectionHandler rejectionHandler() {
    RejectionHandler specific = RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rejections -> complete(new ApiException(Status.failure(405,
            "MethodNotAllowed", "the server does not allow this method on the requested resource", null))))
        .handle(AuthenticationFailedRejection.class, r -> complete(ApiException.unauthorized()))
        .handle(AuthorizationFailedRejection.class, r -> complete(new ApiException(Status.failure(403, "Forbidden",
            "forbidden", null))))
        .handleAll(UnsupportedRequestContentTypeRejection.class, r -> complete(
            ApiException.unsupportedMediaType("", BODY_MEDIA_TYPES)))
        // a body over the limit that declared no length (HTTP/2 streams it) fails while it is read: 413 as well
        .handle(MalformedRequestContentRejection.class, r -> complete(r.getCause() instanceof EntityStreamSizeException size
            ? ApiException.requestEntityTooLarge(size.limit()) : ApiException.badRequest(r.message())))
        .handle(MissingQueryParamRejection.class, r -> complete(
            ApiException.badRequest("missing query parameter " + r.parameterName())))
        .handle(MalformedQueryParamRejection.class, r -> complete(
            ApiException.badRequest("invalid query parameter " + r.parameterName() + ": " + r.errorMsg())))
        .handle(ValidationRejection.class, r -> complete(ApiException.badRequest(r.message())))
        .handleAll(UnacceptedResponseContentTypeRejection.class, r -> complete(
            ApiException.notAcceptable(List.of("application/json"))))
        .handleNotFound(complete(ApiException.pathNotFound()))
        .build();
    return specific.withFallback(RejectionHandler.defaultHandler().mapRejectionResponse(ErrorHandling::asStatus));
  }

  /** ApiException as its Status; oversized bodies 413; malformed requests 400; anything else 500. */
  public static ExceptionHandler exceptionHandler(long maxRequestBytes) {
    return ExceptionHandler.newBuilder()
        .matchAny(t -> Directives.complete(Responses.status(toApiException(t, maxRequestBytes))))
        .build();
  }

  static ApiException toApiException(Throwable thrown, long maxRequestBytes) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApiException api) {
        return api;
      }
      if (c instanceof EntityStreamSizeException) {
        return ApiException.requestEntityTooLarge(maxRequestBytes);
      }
      if (c == c.getCause()) {
        break;
      }
    }
    if (t instanceof IllegalRequestException bad) {
      return ApiException.badRequest(bad.info().summary());
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      // An entity that did not answer: its database is unreachable, or it is moving to another member. Upstream
      // answers a write it could not confirm with 504 too: it may or may not have happened, the client retries.
      LOG.debug("no answer in time: {}", t.toString());
      return ApiException.timeout("the object's owner did not answer in time (database unavailable or the member "
          + "stopping); retry");
    }
    LOG.error("unhandled error in API route", t);
    return ApiException.internal(String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName()
        : t.getMessage()));
  }

  /** Re-wraps a non-JSON error response (pekko's default texts) as a Status of the same code. */
  static HttpResponse asStatus(HttpResponse response) {
    HttpEntity entity = response.entity();
    if (entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      return response;
    }
    String text = entity instanceof HttpEntity.Strict strict ? strict.getData().utf8String()
        : response.status().reason();
    int code = response.status().intValue();
    String reason = Responses.reasonFor(code);
    Status status = Status.failure(code, reason.isEmpty() ? null : reason, text, null);
    return Responses.status(status).withHeaders(response.getHeaders());
  }

  private static Route complete(ApiException e) {
    return Directives.complete(Responses.status(e));
  }
}
