package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldErrorsTest {
  static final FieldError REQUIRED = FieldError.required(FieldPath.of("metadata", "name"),
      "name or generateName is required");
  static final FieldError INVALID = FieldError.invalid(FieldPath.of("spec", "template", "metadata", "labels"),
      Map.of("app", "x"), "`selector` does not match template `labels`");

  @Test
  void oneErrorPrintsBare() {
    assertThat(FieldErrors.message("DaemonSet", "apps", "x", List.of(REQUIRED)))
        .isEqualTo("DaemonSet.apps \"x\" is invalid: metadata.name: Required value: name or generateName is required");
  }

  @Test
  void severalErrorsPrintInBracketsAndRepeatsCollapse() {
    assertThat(FieldErrors.message("DaemonSet", "apps", "x", List.of(REQUIRED, INVALID, REQUIRED)))
        .isEqualTo("DaemonSet.apps \"x\" is invalid: [metadata.name: Required value: name or generateName is "
            + "required, spec.template.metadata.labels: Invalid value: {\"app\":\"x\"}: `selector` does not match "
            + "template `labels`]");
  }

  @Test
  void statusIs422InvalidWithOneCausePerError() {
    FieldError notSupported = FieldError.notSupported(FieldPath.of("spec", "template", "spec", "restartPolicy"),
        "Never", List.of("Always"));
    FieldError forbidden = FieldError.forbidden(FieldPath.of("spec", "template", "spec", "activeDeadlineSeconds"),
        "activeDeadlineSeconds in DaemonSet is not Supported");
    FieldError duplicate = FieldError.duplicate(FieldPath.of("spec").child("containers").index(1).child("name"), "a");

    Status s = FieldErrors.toStatus("DaemonSet", "apps", "x", List.of(REQUIRED, INVALID, notSupported, forbidden,
        duplicate));

    assertThat(s.code()).isEqualTo(422);
    assertThat(s.reason()).isEqualTo("Invalid");
    assertThat(s.status()).isEqualTo("Failure");
    assertThat(s.details().kind()).isEqualTo("DaemonSet");
    assertThat(s.details().group()).isEqualTo("apps");
    assertThat(s.details().name()).isEqualTo("x");
    assertThat(s.details().causes()).extracting(Status.StatusCause::reason, Status.StatusCause::field).containsExactly(
        tuple("FieldValueRequired", "metadata.name"),
        tuple("FieldValueInvalid", "spec.template.metadata.labels"),
        tuple("FieldValueNotSupported", "spec.template.spec.restartPolicy"),
        tuple("FieldValueForbidden", "spec.template.spec.activeDeadlineSeconds"),
        tuple("FieldValueDuplicate", "spec.containers[1].name"));
    assertThat(s.details().causes().get(2).message()).isEqualTo("Unsupported value: \"Never\": supported values: "
        + "\"Always\"");
  }

  @Test
  void coreKindsHaveNoGroup() {
    Status s = FieldErrors.toStatus("Node", "", "n1", List.of(REQUIRED));

    assertThat(s.message()).startsWith("Node \"n1\" is invalid: metadata.name");
    assertThat(Json.write(s)).doesNotContain("\"group\"");
  }

  /** How upstream prints a bad value: plain numbers and bools, %q strings, Go JSON for everything else. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "int | 5 | 5",
      "string | a\"b | \"a\\\"b\"",
      "null | | null",
      "percent | 10% | \"10%\"",
      "map | | {\"a\":\"1\",\"b\":\"\\u003c\",\"c\":\"\"}",
      "quantity | 1.5Gi | \"1536Mi\""})
  void renderingOfBadValues(String kind, String input, String expected) {
    Object value = switch (kind) {
      case "int" -> Integer.parseInt(input);
      case "string" -> input;
      case "null" -> null;
      case "percent" -> IntOrString.of(input);
      case "map" -> Map.of("b", "<", "a", "1", "c", "");
      default -> Quantity.parse(input);
    };
    assertThat(FieldError.invalid(FieldPath.of("f"), value, "").body()).isEqualTo("Invalid value: " + expected);
  }
}
