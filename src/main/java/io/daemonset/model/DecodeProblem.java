package io.daemonset.model;

/**
 * A field the typed object cannot hold (unknown) or that the document sets twice (duplicate), with its path in
 * upstream's strict-decoding form: "spec.template.spec.containers[0].imagee".
 */
public record DecodeProblem(Kind kind, String path) {

  public enum Kind { UNKNOWN_FIELD, DUPLICATE_FIELD }

  /** The path as a JSON path: ".spec.template.spec.containers[0].imagee". */
  public String jsonPath() {
    return "." + path;
  }

  /** kube-apiserver's words: {@code unknown field "spec.foo"}, {@code duplicate field "metadata.name"}. */
  public String message() {
    return (kind == Kind.UNKNOWN_FIELD ? "unknown field " : "duplicate field ") + BadValues.quote(path);
  }
}
