package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Container;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Node;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.Quantity;
import io.daemonset.model.ResourceRequirements;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HollowUsageTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  static Node node(String cpu, String memory) {
    return new Node("v1", "Node", ObjectMeta.named(null, "h1"), new NodeSpec(null, null, null, null),
        new NodeStatus(Map.of("cpu", Quantity.parse(cpu), "memory", Quantity.parse(memory)), null, null, null, null));
  }

  static Pod pod(String name, Map<String, String> requests, boolean running) {
    Container c = Container.of("main", "busybox");
    if (!requests.isEmpty()) {
      c = c.withResources(new ResourceRequirements(null, requests.entrySet().stream().collect(
          java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Quantity.parse(e.getValue())))));
    }
    ContainerState state = running ? new ContainerState(null, new ContainerState.Running(NOW), null)
        : new ContainerState(new ContainerState.Waiting("ContainerCreating", null), null, null);
    PodStatus status = new PodStatus(running ? "Running" : "Pending", null, null, null, null, null, null,
        List.of(new ContainerStatus("main", state, null, running, 0, "busybox", "hollow", "hollow://x", running)));
    return new Pod("v1", "Pod", ObjectMeta.named("default", name).withUid("uid-" + name),
        PodSpec.of(List.of(c)).withNodeName("h1"), status);
  }

  @Test
  void aRunningContainerUsesAShareOfItsRequestAndTheNodeAddsItsBaseline() {
    JsonNode stats = HollowUsage.stats(node("4", "16Gi"),
        List.of(pod("a", Map.of("cpu", "200m", "memory", "64Mi"), true)), NOW);
    JsonNode container = stats.path("pods").get(0).path("containers").get(0);
    assertThat(container.path("cpuNanoCores").asLong()).isBetween(60_000_000L, 160_000_000L);
    assertThat(container.path("memoryBytes").asLong()).isBetween(32L << 20, 64L << 20);
    assertThat(stats.path("node").path("cpuNanoCores").asLong())
        .isEqualTo(HollowUsage.SYSTEM_CPU_NANOS + container.path("cpuNanoCores").asLong());
    assertThat(stats.path("node").path("memoryBytes").asLong())
        .isEqualTo(HollowUsage.SYSTEM_MEMORY_BYTES + container.path("memoryBytes").asLong());
    assertThat(stats.path("node").path("windowSeconds").asLong()).isEqualTo(15);
  }

  @Test
  void withoutRequestsAContainerUsesAShareOfTheSmallDefaults() {
    JsonNode container = HollowUsage.stats(node("4", "16Gi"), List.of(pod("a", Map.of(), true)), NOW)
        .path("pods").get(0).path("containers").get(0);
    assertThat(container.path("cpuNanoCores").asLong()).isBetween(3_000_000L, 8_000_000L);
    assertThat(container.path("memoryBytes").asLong()).isBetween(16L << 20, 32L << 20);
  }

  @Test
  void aContainerNotRunningHasNoFiguresAndAddsNothing() {
    JsonNode stats = HollowUsage.stats(node("4", "16Gi"), List.of(pod("a", Map.of("cpu", "1"), false)), NOW);
    assertThat(stats.path("pods")).isEmpty();
    assertThat(stats.path("node").path("cpuNanoCores").asLong()).isEqualTo(HollowUsage.SYSTEM_CPU_NANOS);
  }

  @Test
  void aNodeNeverUsesMoreThanItHas() {
    JsonNode stats = HollowUsage.stats(node("1", "600Mi"),
        List.of(pod("a", Map.of("cpu", "2", "memory", "1Gi"), true)), NOW);
    assertThat(stats.path("node").path("cpuNanoCores").asLong()).isEqualTo(1_000_000_000L);
    assertThat(stats.path("node").path("memoryBytes").asLong()).isEqualTo(600L << 20);
  }

  @Test
  void figuresAreDeterministicDifferBetweenContainersAndDriftWithTime() {
    List<Pod> pods = List.of(pod("a", Map.of("cpu", "1"), true), pod("b", Map.of("cpu", "1"), true));
    JsonNode once = HollowUsage.stats(node("4", "16Gi"), pods, NOW);
    assertThat(HollowUsage.stats(node("4", "16Gi"), pods, NOW)).isEqualTo(once);
    long a = once.path("pods").get(0).path("containers").get(0).path("cpuNanoCores").asLong();
    long b = once.path("pods").get(1).path("containers").get(0).path("cpuNanoCores").asLong();
    assertThat(a).isNotEqualTo(b);
    long later = HollowUsage.stats(node("4", "16Gi"), pods, NOW.plusSeconds(150))
        .path("pods").get(0).path("containers").get(0).path("cpuNanoCores").asLong();
    assertThat(later).isNotEqualTo(a);
  }

  @Test
  void theShareStaysInItsBand() {
    for (int s = 0; s < 600; s += 7) {
      assertThat(HollowUsage.share("seed-" + s, NOW.plusSeconds(s), 0.3)).isBetween(0.3, 0.8);
    }
  }
}
