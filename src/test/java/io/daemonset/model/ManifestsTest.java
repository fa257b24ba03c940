package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Strict field parsing: unknown and duplicate fields with their paths; type errors naming the field. */
class ManifestsTest {
  static final String DS = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: d}
      spec:
        selector: {matchLabels: {app: d}}
        template:
          metadata: {labels: {app: d}}
          spec:
            containers:
            - name: c
              image: busybox
      """;

  static Stream<Arguments> problems() {
    return Stream.of(
        Arguments.of("clean", DS, List.of()),
        Arguments.of("unknown nested field", DS.replace("image: busybox", "imagee: busybox"),
            List.of("unknown field \"spec.template.spec.containers[0].imagee\"")),
        Arguments.of("unknown top-level field", DS + "extra: 1\n", List.of("unknown field \"extra\"")),
        Arguments.of("unknown field with an object value", DS.replace("metadata: {name: d}",
            "metadata: {name: d, owner: {team: x}}"), List.of("unknown field \"metadata.owner\"")),
        Arguments.of("unknown field in a list of lists", DS.replace("image: busybox",
            "image: busybox\n        ports: [{containerPort: 80, proto: TCP}]"),
            List.of("unknown field \"spec.template.spec.containers[0].ports[0].proto\"")),
        Arguments.of("several, in document order", DS.replace("kind: DaemonSet", "kind: DaemonSet\nfoo: 1")
                .replace("image: busybox", "image: busybox\n        bar: 2"),
            List.of("unknown field \"foo\"", "unknown field \"spec.template.spec.containers[0].bar\"")),
        Arguments.of("duplicate field", DS.replace("metadata: {name: d}", "metadata: {name: d, name: e}"),
            List.of("duplicate field \"metadata.name\"")),
        Arguments.of("duplicate in a list element", DS.replace("- name: c", "- name: c\n        name: c2"),
            List.of("duplicate field \"spec.template.spec.containers[0].name\"")),
        Arguments.of("free-form fields are not checked", DS.replace("image: busybox",
            "image: busybox\n        securityContext: {anything: goes}"), List.of()),
        Arguments.of("json body", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"},"
            + "\"spec\":{\"taints\":[{\"key\":\"k\",\"efect\":\"NoSchedule\"}]}}",
            List.of("unknown field \"spec.taints[0].efect\"")),
        // JSON is first read with the parser's duplicate detection; a duplicate falls back to the reporting pass
        Arguments.of("json body with duplicates", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":"
            + "{\"name\":\"n\",\"name\":\"m\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"key\":\"j\","
            + "\"efect\":\"NoSchedule\"}]}}",
            List.of("unknown field \"spec.taints[0].efect\"", "duplicate field \"metadata.name\"",
                "duplicate field \"spec.taints[0].key\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void warnModeReportsEveryProblem(String name, String document, List<String> warnings) {
    Class<?> type = document.contains("\"Node\"") ? Node.class : DaemonSet.class;

    assertThat(Manifests.read(document, type, FieldValidation.WARN).warnings()).isEqualTo(warnings);
  }

  @Test
  void strictModeFailsWithKubeApiserversMessage() {
    String bad = DS.replace("image: busybox", "imagee: busybox").replace("metadata: {name: d}",
        "metadata: {name: d, name: e}");

    assertThatThrownBy(() -> Manifests.read(bad, DaemonSet.class, FieldValidation.STRICT))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("strict decoding error: unknown field "
              + "\"spec.template.spec.containers[0].imagee\", duplicate field \"metadata.name\"");
          assertThat(e.problems()).extracting(DecodeProblem::jsonPath)
              .containsExactly(".spec.template.spec.containers[0].imagee", ".metadata.name");
          Status status = e.toStatus("DaemonSet", "apps/v1");
          assertThat(status.code()).isEqualTo(400);
          assertThat(status.reason()).isEqualTo("BadRequest");
          assertThat(status.message()).startsWith("DaemonSet in version \"v1\" cannot be handled as a DaemonSet: "
              + "strict decoding error: unknown field");
        });
  }

  @Test
  void ignoreModeDropsProblemsButStillDecodes() {
    Decoded<DaemonSet> d = Manifests.read(DS.replace("image: busybox", "imagee: busybox"), DaemonSet.class,
        FieldValidation.IGNORE);

    assertThat(d.problems()).isEmpty();
    assertThat(d.value().spec().template().spec().containers().get(0).image()).isNull();
  }

  static Stream<Arguments> typeErrors() {
    return Stream.of(
        Arguments.of("string for an int", DS.replace("selector:", "minReadySeconds: \"5\"\n  selector:"),
            "spec.minReadySeconds: cannot unmarshal string \"5\" into a 32-bit integer"),
        Arguments.of("float for an int", DS.replace("selector:", "minReadySeconds: 1.5\n  selector:"),
            "spec.minReadySeconds: cannot unmarshal number 1.5 into a 32-bit integer"),
        Arguments.of("int too large", DS.replace("selector:", "minReadySeconds: 99999999999\n  selector:"),
            "spec.minReadySeconds: cannot unmarshal number 99999999999 into a 32-bit integer"),
        Arguments.of("bool for a string label", DS.replace("{app: d}}\n  template", "{app: d, ssd: true}}\n  template"),
            "spec.selector.matchLabels.ssd: cannot unmarshal bool true into a string"),
        Arguments.of("object for a list", DS.replace("containers:", "containers: {}\n      initContainers:"),
            "spec.template.spec.containers: cannot unmarshal object into an array"),
        Arguments.of("bad quantity", DS.replace("image: busybox", "image: busybox\n        resources: "
            + "{limits: {cpu: 1x}}"), "spec.template.spec.containers[0].resources.limits.cpu: cannot unmarshal string "
            + "\"1x\" into a quantity: quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        Arguments.of("float for an int-or-string", DS.replace("selector:",
            "updateStrategy: {rollingUpdate: {maxSurge: 0.5}}\n  selector:"),
            "spec.updateStrategy.rollingUpdate.maxSurge: cannot unmarshal number 0.5 into an integer or a string"),
        Arguments.of("string for an object", DS.replace("metadata: {name: d}", "metadata: d"),
            "metadata: cannot unmarshal string \"d\" into an object (ObjectMeta)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("typeErrors")
  void aTypeErrorNamesTheField(String name, String document, String message) {
    assertThatThrownBy(() -> Manifests.read(document, DaemonSet.class, FieldValidation.IGNORE))
        .isInstanceOf(ManifestException.class).hasMessage(message);
  }

  @Test
  void malformedDocumentsAreReported() {
    assertThatThrownBy(() -> Manifests.decode("{\"kind\": ", DaemonSet.class))
        .isInstanceOf(ManifestException.class).hasMessageStartingWith("invalid document:");
    assertThatThrownBy(() -> Manifests.decode("", DaemonSet.class)).hasMessage("invalid document: empty");
  }

  @Test
  void fieldValidationParameter() {
    assertThat(FieldValidation.parse(null)).isEqualTo(FieldValidation.WARN);
    assertThat(FieldValidation.parse("Strict")).isEqualTo(FieldValidation.STRICT);
    assertThatThrownBy(() -> FieldValidation.parse("strict")).hasMessage(
        "fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
  }
}
