package io.daemonset.model;

import static io.daemonset.model.DaemonSetValidationTest.DNS_LABEL;
import static io.daemonset.model.DaemonSetValidationTest.KEY_NAME;
import static io.daemonset.model.TestManifests.AGENT;
import static io.daemonset.model.TestManifests.defaulted;
import static io.daemonset.model.TestManifests.remove;
import static io.daemonset.model.TestManifests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.daemonset.model.TestManifests.Edit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pod template part of DaemonSet validation: containers, resources, probes, scheduling. Same form as
 * DaemonSetValidationTest. */
class PodTemplateValidationTest {
  static final String POD = "/spec/template/spec";
  static final String C0 = POD + "/containers/0";
  static final String P = "spec.template.spec.";
  static final String C = P + "containers[0].";

  static Arguments row(String name, String field, String body, Edit... edits) {
    return Arguments.of(name, field, body, edits);
  }

  static Stream<Arguments> invalidTemplates() {
    return Stream.of(
        row("no containers", P + "containers", "Required value", set(POD + "/containers", "[]")),
        row("container name not a DNS label", C + "name", "Invalid value: \"Agent_1\": " + DNS_LABEL,
            set(C0 + "/name", "\"Agent_1\"")),
        row("container name missing", C + "name", "Required value", remove(C0 + "/name")),
        row("container names not unique", P + "containers[1].name", "Duplicate value: \"agent\"",
            set(POD + "/containers/1", "{\"name\": \"agent\", \"image\": \"busybox:1.36\"}")),
        row("init container named like a container", P + "initContainers[0].name", "Duplicate value: \"agent\"",
            set(POD + "/initContainers", "[{\"name\": \"agent\", \"image\": \"busybox:1.36\"}]")),
        row("image missing", C + "image", "Required value", remove(C0 + "/image")),
        row("imagePullPolicy unknown", C + "imagePullPolicy",
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            set(C0 + "/imagePullPolicy", "\"Sometimes\"")),
        row("negative cpu request", C + "resources.requests[cpu]",
            "Invalid value: \"-100m\": must be greater than or equal to 0", set(C0 + "/resources/requests/cpu", "\"-100m\"")),
        row("cpu request above limit", C + "resources.requests",
            "Invalid value: \"300m\": must be less than or equal to cpu limit of 200m",
            set(C0 + "/resources/requests/cpu", "\"0.3\"")),
        row("memory request above limit, canonical form", C + "resources.requests",
            "Invalid value: \"1536Mi\": must be less than or equal to memory limit of 128Mi",
            set(C0 + "/resources/requests/memory", "\"1.5Gi\"")),
        row("resource name not standard", C + "resources.limits[gpu]",
            "Invalid value: \"gpu\": must be a standard resource for containers", set(C0 + "/resources/limits/gpu", "1")),
        row("extended resource request without limit", C + "resources.limits",
            "Required value: Limit must be set for non overcommitable resources",
            set(C0 + "/resources/requests/example.com~1gpu", "1")),
        row("containerPort out of range", C + "ports[0].containerPort",
            "Invalid value: 70000: must be between 1 and 65535, inclusive", set(C0 + "/ports/0/containerPort", "70000")),
        row("containerPort missing", C + "ports[0].containerPort", "Required value",
            remove(C0 + "/ports/0/containerPort")),
        row("hostPort out of range", C + "ports[0].hostPort",
            "Invalid value: 99999: must be between 1 and 65535, inclusive", set(C0 + "/ports/0/hostPort", "99999")),
        row("port protocol unknown", C + "ports[0].protocol",
            "Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            set(C0 + "/ports/0/protocol", "\"HTTP\"")),
        row("port name with capitals", C + "ports[0].name",
            "Invalid value: \"Metrics\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            set(C0 + "/ports/0/name", "\"Metrics\"")),
        row("host port claimed twice", C + "ports[1].hostPort", "Duplicate value: \"TCP//9100\"",
            set(C0 + "/ports/0/hostPort", "9100"),
            set(C0 + "/ports/1", "{\"name\": \"again\", \"containerPort\": 9101, \"hostPort\": 9100}")),
        row("hostNetwork with a different hostPort", C + "ports[0].hostPort",
            "Invalid value: 9200: must match `containerPort` when `hostNetwork` is true",
            set(POD + "/hostNetwork", "true"), set(C0 + "/ports/0/hostPort", "9200")),
        row("env name starts with a digit", C + "env[0].name", "Invalid value: \"1ST\": a valid environment variable "
            + "name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit "
            + "(e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
            + "'[-._a-zA-Z][-._a-zA-Z0-9]*')", set(C0 + "/env/0/name", "\"1ST\"")),
        row("mount of a missing volume", C + "volumeMounts[0].name", "Not found: \"data\"",
            set(C0 + "/volumeMounts/0/name", "\"data\"")),
        row("volume names not unique", P + "volumes[1].name", "Duplicate value: \"logs\"",
            set(POD + "/volumes/1", "{\"name\": \"logs\", \"emptyDir\": {}}")),
        // upstream looks at emptyDir before hostPath, so the hostPath is the extra one
        row("volume with two sources", P + "volumes[0].hostPath", "Forbidden: may not specify more than 1 volume type",
            set(POD + "/volumes/0/emptyDir", "{}")),
        row("hostPath climbing out", P + "volumes[0].hostPath.path", "Invalid value: \"/var/../etc\": must not "
            + "contain '..'", set(POD + "/volumes/0/hostPath/path", "\"/var/../etc\"")),
        row("probe with two handlers", C + "readinessProbe.tcpSocket",
            "Forbidden: may not specify more than 1 handler type", set(C0 + "/readinessProbe/tcpSocket", "{\"port\": 9100}")),
        row("probe with no handler", C + "readinessProbe", "Required value: must specify a handler type",
            set(C0 + "/readinessProbe", "{\"periodSeconds\": 5}")),
        row("liveness probe successThreshold not 1", C + "livenessProbe.successThreshold", "Invalid value: 2: must be 1",
            set(C0 + "/livenessProbe", "{\"exec\": {\"command\": [\"true\"]}, \"successThreshold\": 2}")),
        row("probe port name invalid", C + "readinessProbe.httpGet.port",
            "Invalid value: \"-web\": must not begin or end with a hyphen", set(C0 + "/readinessProbe/httpGet/port", "\"-web\"")),
        row("dnsPolicy unknown", P + "dnsPolicy", "Unsupported value: \"Cluster\": supported values: "
            + "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"", set(POD + "/dnsPolicy", "\"Cluster\"")),
        row("nodeSelector key with a space", P + "nodeSelector", "Invalid value: \"disk type\": " + KEY_NAME,
            set(POD + "/nodeSelector", "{\"disk type\": \"ssd\"}")),
        row("toleration Exists with a value", P + "tolerations[0].operator",
            "Invalid value: \"yes\": value must be empty when `operator` is 'Exists'", set(POD + "/tolerations/0/value", "\"yes\"")),
        row("toleration effect unknown", P + "tolerations[0].effect",
            "Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            set(POD + "/tolerations/0/effect", "\"NoRun\"")),
        row("toleration without key must be Exists", P + "tolerations[0].operator", "Invalid value: \"Equal\": "
            + "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            set(POD + "/tolerations/0", "{\"operator\": \"Equal\", \"value\": \"x\"}")),
        row("tolerationSeconds needs NoExecute", P + "tolerations[0].effect",
            "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
            set(POD + "/tolerations/0/tolerationSeconds", "60")),
        row("toleration operator unknown", P + "tolerations[0].operator",
            "Unsupported value: \"Matches\": supported values: \"Equal\", \"Exists\"",
            set(POD + "/tolerations/0/operator", "\"Matches\"")),
        row("node affinity operator unknown", P + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            + ".nodeSelectorTerms[0].matchExpressions[0].operator", "Invalid value: \"Near\": not a valid selector operator",
            set(POD + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0"
                + "/matchExpressions/0/operator", "\"Near\"")),
        row("node affinity Gt with two values", P + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            + ".nodeSelectorTerms[0].matchExpressions[0].values",
            "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
            set(POD + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0"
                + "/matchExpressions/0/operator", "\"Gt\"")
                .andThen(set(POD + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                    + "/nodeSelectorTerms/0/matchExpressions/0/values", "[\"1\", \"2\"]"))),
        row("node affinity without terms", P + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            + ".nodeSelectorTerms", "Required value: must have at least one node selector term",
            set(POD + "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms", "[]")),
        row("nodeName not a subdomain", P + "nodeName", "Invalid value: \"Node_1\": "
            + DaemonSetValidationTest.SUBDOMAIN, set(POD + "/nodeName", "\"Node_1\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTemplates")
  void reportsTheViolatedRuleWithItsPathAndText(String name, String field, String body, Edit[] edits) {
    List<FieldError> errors = DaemonSetValidation.validate(defaulted(AGENT, edits));

    assertThat(errors).extracting(FieldError::field, FieldError::body).contains(tuple(field, body));
  }
}
