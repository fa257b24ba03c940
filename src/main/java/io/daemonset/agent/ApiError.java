package io.daemonset.agent;

import io.daemonset.model.Status;

/** The API answered with an error Status (or an unparseable error body). */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final transient Status status;

  public ApiError(int code, Status status, String what) {
    super(what + ": " + code + (status == null ? "" : " " + status.reason() + ": " + status.message()));
    this.code = code;
    this.status = status;
  }

  public int code() {
    return code;
  }

  /** The Status body, or null when the server sent none. */
  public Status status() {
    return status;
  }

  public String reason() {
    return status == null ? null : status.reason();
  }

  public boolean isNotFound() {
    return code == 404;
  }

  public boolean isConflict() {
    return code == 409;
  }

  public boolean isGone() {
    return code == 410;
  }

  /** The error a CompletableFuture failed with, unwrapped; null if it is not an ApiError. */
  public static ApiError of(Throwable t) {
    Throwable c = t;
    while (c != null && !(c instanceof ApiError)) {
      c = c.getCause();
    }
    return (ApiError) c;
  }
}
