package io.daemonset.api.patch;

import io.daemonset.model.Status;
import java.util.List;

/**
 * A patch the server refuses, carrying what kube-apiserver would answer: HTTP code, Status reason and
 * message (what kubectl prints), and the causes. {@link #detail()} says what actually went wrong even
 * where kube-apiserver's message does not (a failing JSON-patch {@code test} is only "the server rejected
 * our request due to an error in our request" upstream); log it, and send it only if you choose to.
 */
public final class PatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String detail;
  private final transient Status.StatusDetails details;

  public PatchException(int code, String reason, String message, String detail, Status.StatusDetails details) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.detail = detail == null ? message : detail;
    this.details = details;
  }

  /** 400, as errors.NewBadRequest: the message is shown verbatim. */
  public static PatchException badRequest(String message) {
    return new PatchException(400, "BadRequest", message, message, null);
  }

  /** 422 as errors.NewGenericServerResponse(422…): kube-apiserver hides the detail behind a fixed message. */
  public static PatchException unprocessable(String detail) {
    return new PatchException(422, "Invalid", "the server rejected our request due to an error in our request",
        detail, null);
  }

  /**
   * 422 with the real message. kube-apiserver answers 500 with this message for strategic-merge errors it
   * does not classify (a list item without its merge key, an unknown {@code $patch}); a client mistake is
   * not a server fault, so we say 422 Invalid and keep the upstream wording.
   */
  public static PatchException invalid(String message) {
    return new PatchException(422, "Invalid", message, message, null);
  }

  /** 422 Invalid on a request option, as errors.NewInvalid(PatchOptions.meta.k8s.io …). */
  public static PatchException invalidOption(String field, String causeReason, String causeMessage) {
    String message = "PatchOptions.meta.k8s.io \"\" is invalid: " + field + ": " + causeMessage;
    return new PatchException(422, "Invalid", message, message, new Status.StatusDetails(null, "meta.k8s.io",
        "PatchOptions", null, List.of(new Status.StatusCause(causeReason, causeMessage, field)), null));
  }

  /** 413, as kube-apiserver answers a JSON patch with too many operations. */
  public static PatchException tooLarge(String message) {
    return new PatchException(413, "RequestEntityTooLarge", "Request entity too large: " + message, message, null);
  }

  /** 415, for a Content-Type that is no patch type we serve. */
  public static PatchException unsupportedMediaType(String contentType) {
    String message = "the body of the request was in an unknown format - accepted media types include: "
        + String.join(", ", PatchType.mediaTypes());
    return new PatchException(415, "UnsupportedMediaType", message, "unsupported patch type " + contentType, null);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }

  /** The body to send back: a meta/v1 Status. */
  public Status toStatus() {
    return Status.failure(code, reason, getMessage(), details);
  }
}
