package io.daemonset.model;

import java.util.List;

/**
 * The fieldValidation query parameter: what to do with unknown or duplicate fields in a request body. Absent means
 * Warn, as in kube-apiserver since 1.27.
 */
public enum FieldValidation {
  IGNORE, WARN, STRICT;

  private static final List<String> SUPPORTED = List.of("", "Ignore", "Strict", "Warn");

  /** @throws IllegalArgumentException with kube-apiserver's message for an unsupported value */
  public static FieldValidation parse(String queryValue) {
    if (queryValue == null || queryValue.isEmpty()) {
      return WARN;
    }
    return switch (queryValue) {
      case "Ignore" -> IGNORE;
      case "Warn" -> WARN;
      case "Strict" -> STRICT;
      default -> throw new IllegalArgumentException(
          FieldError.notSupported(FieldPath.of("fieldValidation"), queryValue, SUPPORTED).toString());
    };
  }
}
