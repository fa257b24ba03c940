package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodDefaultsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "nginx, Always",
      "nginx:latest, Always",
      "nginx:1.25, IfNotPresent",
      "registry.local:5000/nginx, Always",
      "registry.local:5000/nginx:1.25, IfNotPresent",
      "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, IfNotPresent",
      "'', IfNotPresent"})
  void pullPolicyFollowsTheTag(String image, String policy) {
    assertThat(PodDefaults.pullPolicy(image)).isEqualTo(policy);
  }

  @Test
  void podOnlyDefaultsRequestsFromLimitsServiceLinksAndHostPorts() {
    Container c = Container.of("c", "busybox:1")
        .withResources(new ResourceRequirements(Map.of("cpu", Quantity.parse("1")), null))
        .withPorts(List.of(new ContainerPort(null, 8080, null, null, null)));
    Pod pod = new Pod("v1", "Pod", ObjectMeta.named(null, "p"), PodSpec.of(List.of(c)).withHostNetwork(true), null);

    Pod defaulted = PodDefaults.pod(pod);

    Container out = defaulted.spec().containers().get(0);
    assertThat(out.resources().requests()).containsEntry("cpu", Quantity.parse("1"));
    assertThat(out.ports().get(0)).isEqualTo(new ContainerPort(null, 8080, 8080, null, "TCP"));
    assertThat(defaulted.spec().enableServiceLinks()).isTrue();
    assertThat(defaulted.metadata().namespace()).isEqualTo("default");
    assertThat(PodSpecValidation.validatePod(defaulted)).isEmpty();
  }

  @Test
  void nodeAllocatableDefaultsToCapacity() {
    Map<String, Quantity> capacity = Map.of("cpu", Quantity.parse("4"));
    Node node = new Node("v1", "Node", ObjectMeta.named(null, "n1"), null, new NodeStatus(capacity, null, null, null, null));

    assertThat(NodeDefaults.node(node).status().allocatable()).isEqualTo(capacity);
  }
}
