package io.daemonset.placement;

import static io.daemonset.placement.Fixtures.pod;
import static io.daemonset.placement.Fixtures.resources;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Quantity;
import io.daemonset.model.ResourceRequirements;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream pkg/scheduler/framework/plugins/noderesources/fit_test.go (TestEnoughRequests, TestNotEnoughRequests,
 * TestStorageRequests) and the resource cases of daemon_controller_test.go, with the pod given as its containers'
 * and init containers' requests and the node as allocatable plus the requests of the pods already on it.
 * Not ported: "skip checking ignored extended resource" (no scheduler config here) and the two pod-overhead cases
 * (the model has no overhead).
 */
class ResourceFitTest {

  record Case(String name, String allocatable, List<String> admitted, List<String> containers, List<String> init,
      List<String> insufficient) {
    @Override
    public String toString() {
      return name;
    }
  }

  // makeAllocatableResources(10, 20, 32, 5, 20, 5): 10m cpu, 20 bytes memory, 32 pods, 5 example.com/aaa,
  // 20 ephemeral-storage, 5 hugepages-2Mi.
  static final String NODE = "cpu=10m,memory=20,pods=32,example.com/aaa=5,ephemeral-storage=20,hugepages-2Mi=5";
  static final String FULL = "cpu=10m,memory=20,pods=1,example.com/aaa=0,ephemeral-storage=0,hugepages-2Mi=0";

  static Case c(String name, String admitted, List<String> containers, List<String> init, String... insufficient) {
    return new Case("TestEnoughRequests/" + name, NODE, List.of(admitted), containers, init, List.of(insufficient));
  }

  static List<String> l(String... s) {
    return List.of(s);
  }

  static Stream<Case> enoughRequests() {
    String aaa = "Insufficient example.com/aaa";
    return Stream.of(
        c("no resources requested always fits", "cpu=10m,memory=20", l(), l()),
        c("too many resources fails", "cpu=10m,memory=20", l("cpu=1m,memory=1"), l(),
            "Insufficient cpu", "Insufficient memory"),
        c("too many resources fails due to init container cpu", "cpu=8m,memory=19", l("cpu=1m,memory=1"),
            l("cpu=3m,memory=1"), "Insufficient cpu"),
        c("too many resources fails due to highest init container cpu", "cpu=8m,memory=19", l("cpu=1m,memory=1"),
            l("cpu=3m,memory=1", "cpu=2m,memory=1"), "Insufficient cpu"),
        c("too many resources fails due to init container memory", "cpu=9m,memory=19", l("cpu=1m,memory=1"),
            l("cpu=1m,memory=3"), "Insufficient memory"),
        c("too many resources fails due to highest init container memory", "cpu=9m,memory=19", l("cpu=1m,memory=1"),
            l("cpu=1m,memory=3", "cpu=1m,memory=2"), "Insufficient memory"),
        c("init container fits because it's the max, not sum, of containers and init containers", "cpu=9m,memory=19",
            l("cpu=1m,memory=1"), l("cpu=1m,memory=1")),
        c("multiple init containers fit because it's the max, not sum, of containers and init containers",
            "cpu=9m,memory=19", l("cpu=1m,memory=1"), l("cpu=1m,memory=1", "cpu=1m,memory=1")),
        c("both resources fit", "cpu=5m,memory=5", l("cpu=1m,memory=1"), l()),
        c("one resource memory fits", "cpu=9m,memory=5", l("cpu=2m,memory=1"), l(), "Insufficient cpu"),
        c("one resource cpu fits", "cpu=5m,memory=19", l("cpu=1m,memory=2"), l(), "Insufficient memory"),
        c("equal edge case", "cpu=5m,memory=19", l("cpu=5m,memory=1"), l()),
        c("equal edge case for init container", "cpu=5m,memory=19", l("cpu=4m,memory=1"), l("cpu=5m,memory=1")),
        c("extended resource fits", "", l("example.com/aaa=1"), l()),
        c("extended resource fits for init container", "", l(), l("example.com/aaa=1")),
        c("extended resource capacity enforced", "cpu=0,memory=0,example.com/aaa=0",
            l("cpu=1m,memory=1,example.com/aaa=10"), l(), aaa),
        c("extended resource capacity enforced for init container", "cpu=0,memory=0,example.com/aaa=0", l(),
            l("cpu=1m,memory=1,example.com/aaa=10"), aaa),
        c("extended resource allocatable enforced", "cpu=0,memory=0,example.com/aaa=5",
            l("cpu=1m,memory=1,example.com/aaa=1"), l(), aaa),
        c("extended resource allocatable enforced for init container", "cpu=0,memory=0,example.com/aaa=5", l(),
            l("cpu=1m,memory=1,example.com/aaa=1"), aaa),
        c("extended resource allocatable enforced for multiple containers", "cpu=0,memory=0,example.com/aaa=2",
            l("cpu=1m,memory=1,example.com/aaa=3", "cpu=1m,memory=1,example.com/aaa=3"), l(), aaa),
        c("extended resource allocatable admits multiple init containers", "cpu=0,memory=0,example.com/aaa=2", l(),
            l("cpu=1m,memory=1,example.com/aaa=3", "cpu=1m,memory=1,example.com/aaa=3")),
        c("extended resource allocatable enforced for multiple init containers", "cpu=0,memory=0,example.com/aaa=2",
            l(), l("cpu=1m,memory=1,example.com/aaa=6", "cpu=1m,memory=1,example.com/aaa=3"), aaa),
        c("extended resource allocatable enforced for unknown resource", "cpu=0,memory=0",
            l("cpu=1m,memory=1,example.com/bbb=1"), l(), "Insufficient example.com/bbb"),
        c("extended resource allocatable enforced for unknown resource for init container", "cpu=0,memory=0", l(),
            l("cpu=1m,memory=1,example.com/bbb=1"), "Insufficient example.com/bbb"),
        c("kubernetes.io resource capacity enforced", "cpu=0,memory=0", l("cpu=1m,memory=1,kubernetes.io/something=10"),
            l(), "Insufficient kubernetes.io/something"),
        c("kubernetes.io resource capacity enforced for init container", "cpu=0,memory=0", l(),
            l("cpu=1m,memory=1,subdomain.kubernetes.io/something=10"), "Insufficient subdomain.kubernetes.io/something"),
        c("hugepages resource capacity enforced", "cpu=0,memory=0,hugepages-2Mi=0",
            l("cpu=1m,memory=1,hugepages-2Mi=10"), l(), "Insufficient hugepages-2Mi"),
        c("hugepages resource capacity enforced for init container", "cpu=0,memory=0,hugepages-2Mi=0", l(),
            l("cpu=1m,memory=1,hugepages-2Mi=10"), "Insufficient hugepages-2Mi"),
        c("hugepages resource allocatable enforced for multiple containers", "cpu=0,memory=0,hugepages-2Mi=2",
            l("cpu=1m,memory=1,hugepages-2Mi=3", "cpu=1m,memory=1,hugepages-2Mi=3"), l(), "Insufficient hugepages-2Mi"));
  }

  static Stream<Case> notEnoughAndStorage() {
    String n = "TestNotEnoughRequests/";
    String s = "TestStorageRequests/";
    List<String> tooMany = l("Too many pods");
    return Stream.of(
        new Case(n + "even without specified resources predicate fails when there's no space for additional pod",
            FULL, l("cpu=10m,memory=20"), l(), l(), tooMany),
        new Case(n + "even if both resources fit predicate fails when there's no space for additional pod",
            FULL, l("cpu=5m,memory=5"), l("cpu=1m,memory=1"), l(), tooMany),
        new Case(n + "even for equal edge case predicate fails when there's no space for additional pod",
            FULL, l("cpu=5m,memory=19"), l("cpu=5m,memory=1"), l(), tooMany),
        new Case(n + "even for equal edge case predicate fails when there's no space for additional pod due to init"
            + " container", FULL, l("cpu=5m,memory=19"), l("cpu=5m,memory=1"), l("cpu=5m,memory=1"), tooMany),
        new Case(s + "due to container scratch disk", NODE, l("cpu=10m,memory=10"), l("cpu=1m,memory=1"), l(),
            l("Insufficient cpu")),
        new Case(s + "pod fit", NODE, l("cpu=2m,memory=10"), l("cpu=1m,memory=1"), l(), l()),
        new Case(s + "storage ephemeral local storage request exceeds allocatable", NODE, l("cpu=2m,memory=2"),
            l("ephemeral-storage=25"), l(), l("Insufficient ephemeral-storage")),
        new Case(s + "pod fits", NODE, l("cpu=2m,memory=2"), l("ephemeral-storage=10"), l(), l()));
  }

  /** The daemon controller's resource cases (allocatableResources(memory, cpu) also lists 100 pods). */
  static Stream<Case> daemonControllerCases() {
    String node100M = "memory=100M,cpu=1,pods=100";
    return Stream.of(
        new Case("TestNodeShouldRunDaemonPod (pre-1.12 InsufficientResourceError)/200M on 100M", node100M, l(),
            l("memory=200M,cpu=0.5"), l(), l("Insufficient memory")),
        new Case("TestNodeShouldRunDaemonPod (pre-1.12 ShouldRunDaemonPod)/50M on 100M", node100M, l(),
            l("memory=50M,cpu=0.5"), l(), l()),
        new Case("TestNodeShouldRunDaemonPod (pre-1.12 InsufficientResourceError)/100M beside 50M", node100M,
            l("memory=50M,cpu=0.5"), l("memory=100M,cpu=0.5"), l(), l("Insufficient memory")),
        new Case("TestNodeShouldRunDaemonPod (pre-1.12 ShouldRunDaemonPod)/50M beside 50M", node100M,
            l("memory=50M,cpu=0.5"), l("memory=50M,cpu=0.5"), l(), l()),
        new Case("TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod/not-enough-resource",
            "memory=10M,cpu=20m,pods=100", l(), l("memory=50M,cpu=75m"), l(), l("Insufficient cpu",
            "Insufficient memory")),
        new Case("TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod/enough-resource",
            "memory=100M,cpu=200m,pods=100", l(), l("memory=50M,cpu=75m"), l(), l()),
        new Case("TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod/second 75M pod",
            "memory=100M,cpu=200m,pods=100", l("memory=75M,cpu=75m"), l("memory=75M,cpu=75m"), l(),
            l("Insufficient memory")),
        new Case("TestDeleteNoDaemonPod/node full of 4 non-daemon pods", "memory=200M,cpu=200m,pods=100",
            l("memory=50M,cpu=50m", "memory=50M,cpu=50m", "memory=50M,cpu=50m", "memory=50M,cpu=50m"),
            l("memory=50M,cpu=50m"), l(), l("Insufficient cpu", "Insufficient memory")),
        new Case("TestUpdateNode/Node Allocatable changed (old node lists only pods)", "pods=100", l(),
            l("memory=200M,cpu=200m"), l(), l("Insufficient cpu", "Insufficient memory")),
        new Case("TestUpdateNode/Node Allocatable changed (new node)", "memory=200M,cpu=200m,pods=100", l(),
            l("memory=200M,cpu=200m"), l(), l()),
        new Case("rounding: cpu rounds up to the millicore (0.0001 cpu needs 1m)", "cpu=1m", l("cpu=1m"),
            l("cpu=0.0001"), l(), l("Insufficient cpu")),
        new Case("rounding: memory rounds up to the byte (0.5 needs 1)", "memory=1", l("memory=1"), l("memory=0.5"),
            l(), l("Insufficient memory")),
        new Case("requests of 0 fit even when the node does not list the resource", "", l(),
            l("nvidia.com/gpu=0,cpu=0"), l(), l()),
        new Case("a node that does not list pods has no pod count limit", "cpu=1", l("cpu=1m", "cpu=1m"),
            l("cpu=1m"), l(), l()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"enoughRequests", "notEnoughAndStorage", "daemonControllerCases"})
  void check(Case c) {
    List<Map<String, Quantity>> admitted = c.admitted().stream().map(Fixtures::resources).toList();
    Map<String, Quantity> requests = ResourceFit.podRequests(pod(c.containers(), c.init()));
    FitResult result = ResourceFit.check(resources(c.allocatable()), admitted, requests);
    assertThat(result).isEqualTo(new FitResult(c.insufficient().isEmpty(), c.insufficient()));
  }

  record RequestsCase(String name, PodSpec spec, Map<String, Quantity> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Container limited(String requests, String limits) {
    return Container.of("c", "i").withResources(new ResourceRequirements(resources(limits), resources(requests)));
  }

  static Stream<RequestsCase> podRequests() {
    String r = "resourcehelper.PodRequests/";
    return Stream.of(
        new RequestsCase(r + "no containers", pod(l(), l()), Map.of()),
        new RequestsCase(r + "containers are summed", pod(l("cpu=100m,memory=1Gi", "cpu=0.2,memory=512Mi"), l()),
            resources("cpu=300m,memory=1536Mi")),
        new RequestsCase(r + "init containers raise each resource to their max",
            pod(l("cpu=100m,memory=100Mi"), l("cpu=500m,memory=10Mi", "cpu=200m,memory=50Mi")),
            resources("cpu=500m,memory=100Mi")),
        new RequestsCase(r + "resources only init containers request count", pod(l("cpu=1"), l("example.com/aaa=2")),
            resources("cpu=1,example.com/aaa=2")),
        new RequestsCase("SetDefaults_Pod/limits without requests are the requests",
            PodSpec.of(List.of(limited("", "cpu=1,memory=1Gi"))), resources("cpu=1,memory=1Gi")),
        new RequestsCase("SetDefaults_Pod/a request wins over its limit; a lone limit fills in",
            PodSpec.of(List.of(limited("cpu=250m", "cpu=1,memory=1Gi"))), resources("cpu=250m,memory=1Gi")),
        new RequestsCase("container without resources requests nothing",
            PodSpec.of(List.of(Container.of("c", "i"))), Collections.emptyMap()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podRequests")
  void podRequests(RequestsCase c) {
    assertThat(ResourceFit.podRequests(c.spec())).isEqualTo(c.expected());
  }
}
