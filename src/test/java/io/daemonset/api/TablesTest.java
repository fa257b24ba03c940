package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.Tables.IncludeObject;
import io.daemonset.model.Container;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.Event;
import io.daemonset.model.Json;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.LabelSelectorRequirement;
import io.daemonset.model.ListMeta;
import io.daemonset.model.Node;
import io.daemonset.model.NodeAddress;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.NodeSystemInfo;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.ObjectReference;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TablesTest {
  static final Instant NOW = Instant.parse("2026-11-27T17:30:20Z");
  static final ListMeta META = new ListMeta("1010", null, null);

  static ObjectMeta meta(String name, Duration age) {
    return ObjectMeta.named("default", name).withCreationTimestamp(NOW.minus(age)).withUid("uid-" + name);
  }

  @Test
  void daemonSetsAsInTheRecordedTable() throws Exception {
    DaemonSet ds = new DaemonSet("apps/v1", "DaemonSet", meta("fluentd", Duration.ZERO),
        new DaemonSetSpec(LabelSelector.ofLabels(Map.of("name", "fluentd")),
            new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(Map.of("name", "fluentd")),
                PodSpec.of(List.of(Container.of("fluentd", "fluent/fluentd:v1.16-1")))
                    .withNodeSelector(Map.of("ssd", "true"))), null, null, 10, null),
        new DaemonSetStatus(2, 0, 2, 2, 1L, 2, 2, 0, null, null));
    Table table = Tables.daemonSets(List.of(ds), META, NOW, IncludeObject.METADATA);

    JsonNode recorded = Json.mapper().readTree(getClass().getResourceAsStream("table-daemonsets.json"));
    JsonNode ours = Json.tree(table);
    // Upstream's columns first, exactly; then ours (issue 11's wide rollout columns).
    int upstream = recorded.path("columnDefinitions").size();
    assertThat(ours.path("columnDefinitions").findValuesAsText("name").subList(0, upstream))
        .isEqualTo(recorded.path("columnDefinitions").findValuesAsText("name"));
    assertThat(ours.path("columnDefinitions").findValuesAsText("name").subList(upstream, upstream + 4))
        .containsExactly("Rollout", "Paused", "Partition", "Unavailable");
    assertThat(ours.path("columnDefinitions").findValues("priority").subList(0, upstream))
        .isEqualTo(recorded.path("columnDefinitions").findValues("priority"));
    assertThat(ours.path("columnDefinitions").findValues("priority").subList(upstream, upstream + 4))
        .allMatch(p -> p.asInt() == 1);
    assertThat(ours.path("columnDefinitions").findValuesAsText("type").subList(0, upstream))
        .isEqualTo(recorded.path("columnDefinitions").findValuesAsText("type"));
    for (int i = 0; i < upstream; i++) {
      assertThat(ours.path("rows").get(0).path("cells").get(i))
          .isEqualTo(recorded.path("rows").get(0).path("cells").get(i));
    }
    assertThat(ours.path("rows").get(0).path("cells").size()).isEqualTo(upstream + 4);
    assertThat(ours.path("kind").asText()).isEqualTo("Table");
    assertThat(ours.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(ours.path("metadata").path("resourceVersion").asText()).isEqualTo("1010");
    JsonNode object = ours.path("rows").get(0).path("object");
    assertThat(object.path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(object.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(object.path("metadata").path("name").asText()).isEqualTo("fluentd");
    assertThat(object.path("spec").isMissingNode()).isTrue();
  }

  @Test
  void daemonSetWithoutSelectorOrStatusAndWithExpressions() {
    DaemonSet bare = new DaemonSet("apps/v1", "DaemonSet", meta("bare", Duration.ofMinutes(5)), null, null);
    assertThat(Tables.daemonSetCells(bare, NOW))
        .containsExactly("bare", 0, 0, 0, 0, 0, "<none>", "5m", "", "", "<none>", "<none>", "false", 0, "0");
    LabelSelector selector = new LabelSelector(Map.of("b", "2"), List.of(
        new LabelSelectorRequirement("a", "In", List.of("y", "x")),
        new LabelSelectorRequirement("c", "DoesNotExist", null),
        new LabelSelectorRequirement("d", "Exists", null),
        new LabelSelectorRequirement("e", "NotIn", List.of("z"))));
    assertThat(Tables.formatLabelSelector(selector)).isEqualTo("a in (x,y),b=2,!c,d,e notin (z)");
  }

  @Test
  void daemonSetWideColumnsShowTheRolloutControlsAndWhyPodsAreUnavailable() {
    DaemonSetSpec spec = new DaemonSetSpec(LabelSelector.ofLabels(Map.of("a", "b")), null,
        new io.daemonset.model.DaemonSetUpdateStrategy("RollingUpdate", new io.daemonset.model.RollingUpdateDaemonSet(
            null, null, 7, true, null, null, null, null)), null, null, null);
    io.daemonset.model.RolloutStatus rollout = new io.daemonset.model.RolloutStatus("Paused", "h2", "h2", "h1", null,
        "paused", new io.daemonset.model.UnavailableCounts(1, 2, 3, 0), null, null, null);
    DaemonSet ds = new DaemonSet("apps/v1", "DaemonSet", meta("ds", Duration.ZERO), spec,
        new DaemonSetStatus(10, 0, 10, 4, 1L, 3, 4, 6, null, null).withRollout(rollout));
    List<Object> cells = Tables.daemonSetCells(ds, NOW);
    assertThat(cells.subList(cells.size() - 4, cells.size()))
        .containsExactly("Paused", "true", 7, "rollout:1,crash:2,node:3,room:0");
  }

  @Test
  void nodes() {
    Node ready = new Node("v1", "Node", meta("node-1", Duration.ofHours(50))
        .withLabels(Map.of("node-role.kubernetes.io/control-plane", "", "kubernetes.io/role", "edge")),
        new NodeSpec(null, null, true, null),
        new NodeStatus(null, null,
            List.of(new NodeCondition("Ready", "True", null, null, null, null)),
            List.of(new NodeAddress("Hostname", "n1"), new NodeAddress("InternalIP", "10.0.0.1")),
            new NodeSystemInfo(null, null, null, "6.1.0", "Debian GNU/Linux 12", "process://1.0", "v1.32.0", null,
                "linux", "amd64")));
    assertThat(Tables.nodeCells(ready, NOW)).containsExactly("node-1", "Ready,SchedulingDisabled",
        "control-plane,edge", "2d2h", "v1.32.0", "10.0.0.1", "<none>", "Debian GNU/Linux 12", "6.1.0",
        "process://1.0");
    Node unknown = new Node("v1", "Node", meta("node-2", Duration.ofSeconds(30)), null, null);
    assertThat(Tables.nodeCells(unknown, NOW)).containsExactly("node-2", "Unknown", "<none>", "30s", "", "<none>",
        "<none>", "<unknown>", "<unknown>", "<unknown>");
    Node notReady = unknown.withStatus(new NodeStatus(null, null,
        List.of(new NodeCondition("Ready", "Unknown", null, null, null, null)), null, null));
    assertThat(Tables.nodeCells(notReady, NOW).get(1)).isEqualTo("NotReady");
    Table table = Tables.nodes(List.of(ready), META, NOW, IncludeObject.NONE);
    assertThat(table.columnDefinitions()).extracting(Table.Column::name).containsExactly("Name", "Status", "Roles",
        "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
    assertThat(table.rows().get(0).object()).isNull();
  }

  static Stream<Arguments> pods() {
    ContainerState running = new ContainerState(null, new ContainerState.Running(NOW), null);
    ContainerState waiting = new ContainerState(new ContainerState.Waiting("CrashLoopBackOff", null), null, null);
    ContainerState exited = new ContainerState(null, null,
        new ContainerState.Terminated(137, null, null, null, null, NOW.minusSeconds(90), null));
    ContainerState lastExit = new ContainerState(null, null,
        new ContainerState.Terminated(1, null, "Error", null, null, NOW.minusSeconds(90), null));
    return Stream.of(
        Arguments.of("running and ready", status("Running", List.of(cs(running, null, true, 0))), null,
            List.of("1/1", "Running", "0")),
        Arguments.of("pending, no statuses", status("Pending", List.of()), null, List.of("0/1", "Pending", "0")),
        Arguments.of("crash looping with restarts", status("Running", List.of(cs(waiting, lastExit, false, 3))), null,
            List.of("0/1", "CrashLoopBackOff", "3 (90s ago)")),
        Arguments.of("terminated without reason", status("Running", List.of(cs(exited, null, false, 0))), null,
            List.of("0/1", "ExitCode:137", "0")),
        Arguments.of("being deleted", status("Running", List.of(cs(running, null, true, 0))), NOW,
            List.of("1/1", "Terminating", "0")));
  }

  /** Upstream printPod's init container cases: STATUS and RESTARTS while initializing, and after. */
  static Stream<Arguments> podsWithInitContainers() {
    ContainerState running = new ContainerState(null, new ContainerState.Running(NOW), null);
    ContainerState initializing = new ContainerState(new ContainerState.Waiting("PodInitializing", null), null,
        null);
    ContainerState done = new ContainerState(null, null,
        new ContainerState.Terminated(0, null, "Completed", null, null, NOW.minusSeconds(100), null));
    ContainerState error = new ContainerState(null, null,
        new ContainerState.Terminated(1, null, "Error", null, null, NOW.minusSeconds(30), null));
    ContainerState killed = new ContainerState(null, null,
        new ContainerState.Terminated(137, 9, null, null, null, NOW.minusSeconds(30), null));
    ContainerState backoff = new ContainerState(new ContainerState.Waiting("CrashLoopBackOff", null), null, null);
    ContainerState none = new ContainerState(null, null, null);
    return Stream.of(
        Arguments.of("first init running", List.of(cs("a", running, none, 0), cs("b", initializing, none, 0)),
            List.of(cs("c", initializing, none, 0)), false, List.of("0/1", "Init:0/2", "0")),
        Arguments.of("second init running", List.of(cs("a", done, none, 0), cs("b", running, none, 0)),
            List.of(cs("c", initializing, none, 0)), false, List.of("0/1", "Init:1/2", "0")),
        Arguments.of("init failed", List.of(cs("a", error, none, 0), cs("b", initializing, none, 0)),
            List.of(cs("c", initializing, none, 0)), false, List.of("0/1", "Init:Error", "0")),
        Arguments.of("init killed, no reason", List.of(cs("a", killed, none, 0)),
            List.of(cs("c", initializing, none, 0)), false, List.of("0/1", "Init:Signal:9", "0")),
        Arguments.of("init crash looping", List.of(cs("a", backoff, error, 3)),
            List.of(cs("c", initializing, none, 0)), false, List.of("0/1", "Init:CrashLoopBackOff", "3 (30s ago)")),
        Arguments.of("initialized, containers not started yet", List.of(cs("a", done, none, 0)),
            List.of(cs("c", initializing, none, 0)), true, List.of("0/1", "PodInitializing", "0")),
        Arguments.of("initialized and running: init restarts no longer counted", List.of(cs("a", done, error, 2)),
            List.of(cs("c", running, none, 0)), true, List.of("1/1", "Running", "0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podsWithInitContainers")
  void podsWithInitContainers(String name, List<ContainerStatus> inits, List<ContainerStatus> containers,
                              boolean initialized, List<String> readyStatusRestarts) {
    String phase = containers.stream().anyMatch(c -> c.state().running() != null) ? "Running" : "Pending";
    PodStatus status = new PodStatus(phase, List.of(
        new PodCondition("Initialized", initialized ? "True" : "False", null, null, null, null),
        new PodCondition("Ready", containers.stream().allMatch(ContainerStatus::ready) ? "True" : "False", null,
            null, null, null)), null, null, null, null, null, containers, inits);
    Pod pod = new Pod("v1", "Pod", meta("fluentd-648be", Duration.ofSeconds(1)),
        PodSpec.of(List.of(Container.of("c", "img")))
            .withInitContainers(inits.stream().map(i -> Container.of(i.name(), "img")).toList()), status);
    assertThat(Tables.podCells(pod, NOW).subList(1, 4)).containsExactlyElementsOf(readyStatusRestarts);
  }

  static ContainerStatus cs(String name, ContainerState state, ContainerState last, int restarts) {
    boolean ready = state.running() != null;
    return new ContainerStatus(name, state, last, ready, restarts, "img", null, null, null);
  }

  static PodStatus status(String phase, List<ContainerStatus> statuses) {
    return new PodStatus(phase, List.of(new PodCondition("Ready", "True", null, null, null, null)), null, null,
        "192.168.1.5", statuses.isEmpty() ? null : "10.244.2.10", null, statuses);
  }

  static ContainerStatus cs(ContainerState state, ContainerState last, boolean ready, int restarts) {
    return new ContainerStatus("fluentd", state, last, ready, restarts, "img", null, null, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void pods(String name, PodStatus status, Instant deleted, List<String> readyStatusRestarts) {
    Pod pod = new Pod("v1", "Pod", meta("fluentd-648be", Duration.ofSeconds(1)).withDeletionTimestamp(deleted),
        PodSpec.of(List.of(Container.of("fluentd", "img"))).withNodeName("node-2"), status);
    List<Object> cells = Tables.podCells(pod, NOW);
    assertThat(cells.subList(1, 4)).containsExactlyElementsOf(readyStatusRestarts);
    assertThat(cells.get(0)).isEqualTo("fluentd-648be");
    assertThat(cells.get(4)).isEqualTo("1s");
    assertThat(cells.subList(6, 9)).containsExactly("node-2", "<none>", "<none>");
  }

  @Test
  void podColumns() {
    assertThat(Tables.pods(List.of(), META, NOW, IncludeObject.METADATA).columnDefinitions())
        .extracting(Table.Column::name, Table.Column::priority)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", 0), org.assertj.core.groups.Tuple.tuple("Ready", 0),
            org.assertj.core.groups.Tuple.tuple("Status", 0), org.assertj.core.groups.Tuple.tuple("Restarts", 0),
            org.assertj.core.groups.Tuple.tuple("Age", 0), org.assertj.core.groups.Tuple.tuple("IP", 1),
            org.assertj.core.groups.Tuple.tuple("Node", 1), org.assertj.core.groups.Tuple.tuple("Nominated Node", 1),
            org.assertj.core.groups.Tuple.tuple("Readiness Gates", 1));
  }

  @Test
  void controllerRevisions() {
    ControllerRevision owned = new ControllerRevision("apps/v1", "ControllerRevision",
        meta("fluentd-ccbmjebdgh", Duration.ofMinutes(12)).withOwnerReferences(List.of(
            OwnerReference.controlledBy("apps/v1", "DaemonSet", "fluentd", "u1"))), null, 1);
    ControllerRevision orphan = new ControllerRevision("apps/v1", "ControllerRevision",
        meta("orphan-1", Duration.ofDays(3)), null, 4);
    Table table = Tables.controllerRevisions(List.of(owned, orphan), META, NOW, IncludeObject.OBJECT);
    assertThat(table.columnDefinitions()).extracting(Table.Column::name)
        .containsExactly("Name", "Controller", "Revision", "Age");
    assertThat(table.rows().get(0).cells()).containsExactly("fluentd-ccbmjebdgh", "daemonset.apps/fluentd", 1L, "12m");
    assertThat(table.rows().get(1).cells()).containsExactly("orphan-1", "<none>", 4L, "3d");
    assertThat(table.rows().get(0).object().path("kind").asText()).isEqualTo("ControllerRevision");
  }

  @Test
  void events() {
    Event event = new Event("v1", "Event", meta("fluentd.1", Duration.ofMinutes(3)),
        new ObjectReference("apps/v1", "DaemonSet", "default", "fluentd", "u1", null, null), "SuccessfulCreate",
        " Created pod: fluentd-648be \n", new Event.EventSource("daemonset-controller", null),
        NOW.minusSeconds(180), NOW.minusSeconds(20), 2, "Normal", null, null);
    Table table = Tables.events(List.of(event), META, NOW, IncludeObject.METADATA);
    assertThat(table.columnDefinitions().stream().filter(c -> c.priority() == 0).map(Table.Column::name))
        .containsExactly("Last Seen", "Type", "Reason", "Object", "Message");
    assertThat(table.rows().get(0).cells()).containsExactly("20s", "Normal", "SuccessfulCreate",
        "daemonset/fluentd", "", "daemonset-controller", "Created pod: fluentd-648be", "3m", 2L, "fluentd.1");
  }

  @Test
  void forResourceDispatchesAndKeepsColumnsForEmptyLists() {
    for (String resource : List.of("daemonsets", "nodes", "pods", "controllerrevisions", "events")) {
      Table table = Tables.forResource(resource, List.of(), META, NOW, IncludeObject.METADATA);
      assertThat(table.columnDefinitions()).isNotEmpty();
      assertThat(table.rows()).isEmpty();
    }
  }

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of(Duration.ofSeconds(-5), "<invalid>"), Arguments.of(Duration.ofMillis(-500), "0s"),
        Arguments.of(Duration.ZERO, "0s"), Arguments.of(Duration.ofSeconds(119), "119s"),
        Arguments.of(Duration.ofSeconds(120), "2m"), Arguments.of(Duration.ofSeconds(150), "2m30s"),
        Arguments.of(Duration.ofMinutes(10), "10m"), Arguments.of(Duration.ofMinutes(179), "179m"),
        Arguments.of(Duration.ofMinutes(180), "3h"), Arguments.of(Duration.ofMinutes(200), "3h20m"),
        Arguments.of(Duration.ofHours(8), "8h"), Arguments.of(Duration.ofHours(47), "47h"),
        Arguments.of(Duration.ofHours(48), "2d"), Arguments.of(Duration.ofHours(50), "2d2h"),
        Arguments.of(Duration.ofDays(8), "8d"), Arguments.of(Duration.ofDays(729), "729d"),
        Arguments.of(Duration.ofDays(730), "2y"), Arguments.of(Duration.ofDays(800), "2y70d"),
        Arguments.of(Duration.ofDays(365 * 9), "9y"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("durations")
  void humanDuration(Duration d, String expected) {
    assertThat(Tables.humanDuration(d)).isEqualTo(expected);
  }
}
