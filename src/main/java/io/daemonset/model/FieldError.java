package io.daemonset.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One violated rule, as upstream's field.Error: a type, the field path, the offending value and a detail. toString()
 * is kube-apiserver's text, e.g. {@code metadata.name: Required value: name or generateName is required}.
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** The error types; code is the Status cause reason, text the words kube-apiserver prints. */
  public enum Type {
    NOT_FOUND("FieldValueNotFound", "Not found"),
    REQUIRED("FieldValueRequired", "Required value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many"),
    INTERNAL("InternalError", "Internal error");

    private final String code;
    private final String text;

    Type(String code, String text) {
      this.code = code;
      this.text = text;
    }

    public String code() {
      return code;
    }

    public String text() {
      return text;
    }
  }

  public static FieldError required(FieldPath path, String detail) {
    return new FieldError(Type.REQUIRED, path.path(), "", detail);
  }

  public static FieldError invalid(FieldPath path, Object value, String detail) {
    return new FieldError(Type.INVALID, path.path(), value, detail);
  }

  public static FieldError notSupported(FieldPath path, Object value, List<String> validValues) {
    String detail = validValues.isEmpty() ? ""
        : "supported values: " + validValues.stream().map(BadValues::quote).collect(Collectors.joining(", "));
    return new FieldError(Type.NOT_SUPPORTED, path.path(), value, detail);
  }

  public static FieldError forbidden(FieldPath path, String detail) {
    return new FieldError(Type.FORBIDDEN, path.path(), "", detail);
  }

  public static FieldError duplicate(FieldPath path, Object value) {
    return new FieldError(Type.DUPLICATE, path.path(), value, "");
  }

  public static FieldError notFound(FieldPath path, Object value) {
    return new FieldError(Type.NOT_FOUND, path.path(), value, "");
  }

  public static FieldError tooLong(FieldPath path, int maxBytes) {
    return new FieldError(Type.TOO_LONG, path.path(), "", "must have at most " + maxBytes + " bytes");
  }

  public FieldError withDetail(String value) {
    return new FieldError(type, field, badValue, value);
  }

  /**
   * upstream ErrorBody(): the type's words, then the bad value (omitted for Required, Forbidden, TooLong and
   * Internal), then the detail.
   */
  public String body() {
    String s = switch (type) {
      case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> type.text();
      default -> type.text() + ": " + BadValues.render(badValue);
    };
    return detail == null || detail.isEmpty() ? s : s + ": " + detail;
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }
}
