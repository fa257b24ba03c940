package io.daemonset.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request body that cannot become the typed object: malformed JSON or YAML, a value of the wrong type at a field
 * path, or (under fieldValidation=Strict) unknown or duplicate fields. kube-apiserver answers these 400 BadRequest.
 */
public final class ManifestException extends RuntimeException {
  private final String path;
  private final List<DecodeProblem> problems;

  private ManifestException(String message, String path, List<DecodeProblem> problems) {
    super(message);
    this.path = path;
    this.problems = problems;
  }

  /** A value that does not fit its field, e.g. {@code spec.minReadySeconds: cannot unmarshal string "x" into ...}. */
  static ManifestException atField(String path, String detail) {
    return new ManifestException(path.isEmpty() ? detail : path + ": " + detail, path, List.of());
  }

  static ManifestException malformed(String detail) {
    return new ManifestException(detail, "", List.of());
  }

  /** upstream's message: {@code strict decoding error: unknown field "a", duplicate field "b"}. */
  static ManifestException strict(List<DecodeProblem> problems) {
    String list = problems.stream().map(DecodeProblem::message).collect(Collectors.joining(", "));
    return new ManifestException("strict decoding error: " + list, "", List.copyOf(problems));
  }

  /** The field the error is about; empty for malformed documents and strict errors (see {@link #problems()}). */
  public String path() {
    return path;
  }

  /** The unknown and duplicate fields of a strict decoding error; empty otherwise. */
  public List<DecodeProblem> problems() {
    return problems;
  }

  /**
   * The 400 Status kube-apiserver sends:
   * {@code DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "x"}.
   *
   * @param apiVersion "apps/v1" or "v1"; only the version part is printed, as upstream does
   */
  public Status toStatus(String kind, String apiVersion) {
    String version = apiVersion == null ? "" : apiVersion.substring(apiVersion.indexOf('/') + 1);
    String message = kind + " in version " + BadValues.quote(version) + " cannot be handled as a " + kind + ": "
        + getMessage();
    return Status.failure(400, "BadRequest", message, null);
  }
}
