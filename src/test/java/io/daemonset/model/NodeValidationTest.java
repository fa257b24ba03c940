package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeValidationTest {

  static Node node(String name, List<Taint> taints) {
    return new Node("v1", "Node", ObjectMeta.named(null, name).withLabels(Map.of("disk", "ssd")),
        new NodeSpec(null, null, null, taints), null);
  }

  static Stream<Arguments> invalidNodes() {
    return Stream.of(
        Arguments.of("name missing", node(null, List.of()),
            "metadata.name: Required value: name or generateName is required"),
        Arguments.of("name upper case", node("Node1", List.of()), "metadata.name: Invalid value: \"Node1\": "
            + DaemonSetValidationTest.SUBDOMAIN),
        Arguments.of("namespaced", node("n1", List.of()).withMetadata(ObjectMeta.named("default", "n1")),
            "metadata.namespace: Forbidden: not allowed on this type"),
        Arguments.of("taint effect missing", node("n1", List.of(Taint.of("k", "v", null))),
            "metadata.taints[0].effect: Required value"),
        Arguments.of("taint effect unknown", node("n1", List.of(Taint.of("k", "v", "NoRun"))),
            "metadata.taints[0].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", "
                + "\"PreferNoSchedule\", \"NoExecute\""),
        Arguments.of("taint key invalid", node("n1", List.of(Taint.of("bad key", "v", "NoSchedule"))),
            "metadata.taints[0].key: Invalid value: \"bad key\": " + DaemonSetValidationTest.KEY_NAME),
        Arguments.of("taint value invalid", node("n1", List.of(Taint.of("k", "-v", "NoSchedule"))),
            "metadata.taints[0].value: Invalid value: \"-v\": " + DaemonSetValidationTest.LABEL_VALUE),
        Arguments.of("taint repeated", node("n1", List.of(Taint.of("k", "a", "NoSchedule"), Taint.of("k", "b",
            "NoSchedule"))), "metadata.taints[1]: Duplicate value: {\"key\":\"k\",\"value\":\"b\",\"effect\":"
            + "\"NoSchedule\"}: taints must be unique by key and effect pair"),
        Arguments.of("negative capacity", node("n1", List.of()).withStatus(new NodeStatus(
            Map.of("cpu", Quantity.parse("-1")), null, null, null, null)),
            "status.capacity.cpu: Invalid value: \"-1\": must be greater than or equal to 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNodes")
  void reportsTheViolatedRule(String name, Node node, String error) {
    assertThat(NodeValidation.validate(node)).extracting(FieldError::toString).contains(error);
  }

  @Test
  void aValidNodePasses() {
    assertThat(NodeValidation.validate(node("worker-1.example.com", List.of(Taint.of("dedicated", "gpu",
        "NoSchedule"), Taint.of("dedicated", "gpu", "NoExecute"))))).isEmpty();
  }

  @Test
  void updateMayNotChangeTheProviderId() {
    Node old = node("n1", List.of()).withSpec(new NodeSpec(null, "aws://i-1", null, null));
    Node changed = node("n1", List.of()).withSpec(new NodeSpec(null, "aws://i-2", true, null));

    assertThat(NodeValidation.validateUpdate(changed, old)).extracting(FieldError::toString).containsExactly(
        "spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid");
  }
}
