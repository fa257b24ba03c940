package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Defaulting by API version: each row is a manifest, a JSON pointer into the defaulted object, the value there. */
class DaemonSetDefaultsTest {
  static final String V1BETA1 = """
      apiVersion: extensions/v1beta1
      kind: DaemonSet
      metadata: {name: d}
      spec:
        template:
          metadata: {labels: {app: d}}
          spec:
            containers: [{name: c, image: busybox}]
      """;
  static final String APPS_V1 = V1BETA1.replace("extensions/v1beta1", "apps/v1")
      .replace("spec:\n  template:", "spec:\n  selector: {matchLabels: {app: d}}\n  template:");

  static Stream<Arguments> defaults() {
    return Stream.of(
        Arguments.of("v1beta1 selector from template labels", V1BETA1, "/spec/selector", "{\"matchLabels\":{\"app\":\"d\"}}"),
        Arguments.of("v1beta1 labels from template labels", V1BETA1, "/metadata/labels", "{\"app\":\"d\"}"),
        Arguments.of("v1beta1 keeps its own labels", V1BETA1.replace("metadata: {name: d}",
            "metadata: {name: d, labels: {team: x}}"), "/metadata/labels", "{\"team\":\"x\"}"),
        Arguments.of("v1beta1 keeps its own selector", V1BETA1.replace("spec:\n  template:",
            "spec:\n  selector: {matchLabels: {app: other}}\n  template:"), "/spec/selector",
            "{\"matchLabels\":{\"app\":\"other\"}}"),
        Arguments.of("v1beta1 type OnDelete", V1BETA1, "/spec/updateStrategy", "{\"type\":\"OnDelete\"}"),
        Arguments.of("v1beta1 RollingUpdate gets maxUnavailable 1 only", V1BETA1.replace("spec:\n  template:",
            "spec:\n  updateStrategy: {type: RollingUpdate}\n  template:"), "/spec/updateStrategy",
            "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1}}"),
        Arguments.of("v1beta1 history 10", V1BETA1, "/spec/revisionHistoryLimit", "10"),
        Arguments.of("apps/v1 RollingUpdate 1 and 0", APPS_V1, "/spec/updateStrategy",
            "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}"),
        Arguments.of("apps/v1 keeps a given maxUnavailable", APPS_V1.replace("spec:\n  selector",
            "spec:\n  updateStrategy: {rollingUpdate: {maxUnavailable: 25%}}\n  selector"), "/spec/updateStrategy",
            "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":0}}"),
        Arguments.of("apps/v1 OnDelete stays bare", APPS_V1.replace("spec:\n  selector",
            "spec:\n  updateStrategy: {type: OnDelete}\n  selector"), "/spec/updateStrategy", "{\"type\":\"OnDelete\"}"),
        Arguments.of("apps/v1 does not copy labels", APPS_V1, "/metadata/labels", "null"),
        Arguments.of("apps/v1 history kept", APPS_V1.replace("spec:\n  selector",
            "spec:\n  revisionHistoryLimit: 3\n  selector"), "/spec/revisionHistoryLimit", "3"),
        Arguments.of("namespace default", APPS_V1, "/metadata/namespace", "\"default\""),
        Arguments.of("namespace kept", APPS_V1.replace("{name: d}", "{name: d, namespace: ops}"),
            "/metadata/namespace", "\"ops\""),
        Arguments.of("pod restartPolicy", APPS_V1, "/spec/template/spec/restartPolicy", "\"Always\""),
        Arguments.of("pod grace period", APPS_V1, "/spec/template/spec/terminationGracePeriodSeconds", "30"),
        Arguments.of("pod dnsPolicy", APPS_V1, "/spec/template/spec/dnsPolicy", "\"ClusterFirst\""),
        Arguments.of("pod schedulerName", APPS_V1, "/spec/template/spec/schedulerName", "\"default-scheduler\""),
        Arguments.of("pod securityContext", APPS_V1, "/spec/template/spec/securityContext", "{}"),
        Arguments.of("container pull policy for no tag", APPS_V1, "/spec/template/spec/containers/0/imagePullPolicy",
            "\"Always\""),
        Arguments.of("container termination message", APPS_V1, "/spec/template/spec/containers/0/terminationMessagePath",
            "\"/dev/termination-log\""),
        Arguments.of("container termination policy", APPS_V1,
            "/spec/template/spec/containers/0/terminationMessagePolicy", "\"File\""),
        Arguments.of("port protocol", APPS_V1.replace("image: busybox}", "image: busybox, ports: [{containerPort: 80}]}"),
            "/spec/template/spec/containers/0/ports/0", "{\"containerPort\":80,\"protocol\":\"TCP\"}"),
        Arguments.of("probe defaults", APPS_V1.replace("image: busybox}",
            "image: busybox, livenessProbe: {httpGet: {port: 80}}}"), "/spec/template/spec/containers/0/livenessProbe",
            "{\"httpGet\":{\"path\":\"/\",\"port\":80,\"scheme\":\"HTTP\"},\"periodSeconds\":10,\"timeoutSeconds\":1,"
                + "\"successThreshold\":1,\"failureThreshold\":3}"),
        Arguments.of("quantity rounded up to milli", APPS_V1.replace("image: busybox}",
            "image: busybox, resources: {requests: {cpu: 100u}}}"),
            "/spec/template/spec/containers/0/resources/requests/cpu", "\"1m\""),
        Arguments.of("volume without source is emptyDir", APPS_V1.replace("image: busybox}]",
            "image: busybox}]\n      volumes: [{name: scratch}]"), "/spec/template/spec/volumes/0",
            "{\"name\":\"scratch\",\"emptyDir\":{}}"),
        Arguments.of("hostPath type empty", APPS_V1.replace("image: busybox}]",
            "image: busybox}]\n      volumes: [{name: logs, hostPath: {path: /var/log}}]"),
            "/spec/template/spec/volumes/0/hostPath", "{\"path\":\"/var/log\",\"type\":\"\"}"),
        Arguments.of("configMap file mode", APPS_V1.replace("image: busybox}]",
            "image: busybox}]\n      volumes: [{name: cfg, configMap: {name: cfg}}]"),
            "/spec/template/spec/volumes/0/configMap", "{\"name\":\"cfg\",\"defaultMode\":420}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void defaults(String name, String manifest, String pointer, String expectedJson) throws Exception {
    DaemonSet ds = DaemonSetDefaults.daemonSet(Manifests.read(manifest, DaemonSet.class, FieldValidation.STRICT).value());

    JsonNode at = Json.tree(ds).at(pointer);
    assertThat(at.isMissingNode() ? "null" : Json.write(at)).isEqualTo(expectedJson);
  }

  @Test
  void defaultingIsIdempotentAndLeavesItsInputAlone() {
    DaemonSet input = Manifests.read(APPS_V1, DaemonSet.class, FieldValidation.STRICT).value();
    String before = Json.write(input);

    DaemonSet once = DaemonSetDefaults.daemonSet(input);

    assertThat(DaemonSetDefaults.daemonSet(once)).isEqualTo(once);
    assertThat(Json.write(input)).isEqualTo(before);
  }
}
