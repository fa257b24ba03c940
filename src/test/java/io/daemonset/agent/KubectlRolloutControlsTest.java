package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Quiet;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of issue 11 with the real kubectl against the real server and hollow nodes: each rollout control
 * driven by {@code kubectl apply} / {@code kubectl patch}. Ten nodes ({@code ctl-1…10}) for partition, paused, the
 * rollingUpdate selector and the canary; sixty ({@code crash-1…60}) for a crash fate on the new revision with
 * failurePolicy Pause (stops having replaced no more than maxUnavailable pods) and Rollback (every pod back on the
 * last good revision, the template untouched, a Warning event).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlRolloutControlsTest {
  static final Duration WAIT = Duration.ofSeconds(Math.max(120, Integer.getInteger("rollout.large-nodes", 60) / 2));
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets/";
  static final int SMALL = 10;
  /** 60 by default; {@code -Drollout.large-nodes=500} for the figure (docs/performance.md). */
  static final int LARGE = Integer.getInteger("rollout.large-nodes", 60);

  @TempDir static Path tmp;
  static TestControlPlane api;
  static HollowFleet small;
  static HollowFleet large;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 60s");
    HollowBehavior ready = HollowBehavior.allReady(Duration.ofMillis(100));
    small = HollowFleet.start(FleetSettings.of(api.target(), SMALL).withNamePrefix("ctl-")
        .withLabels(Map.of("fleet", "ctl")).withBehavior(ready).withHeartbeatPeriod(Duration.ofSeconds(10)));
    large = HollowFleet.start(FleetSettings.of(api.target(), LARGE).withNamePrefix("crash-")
        .withLabels(Map.of("fleet", "crash")).withBehavior(ready).withHeartbeatPeriod(Duration.ofSeconds(10)));
    small.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    large.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    kubectl = api.kubectl();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {small, large, api}) {
      if (c != null) {
        c.close();
      }
    }
  }

  // ---- partition ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void partitionSevenOfTenLeavesSevenOnTheOldRevision() throws Exception {
    apply(manifest("part", "ctl", "pause:1", "\"maxUnavailable\":3", null));
    awaitAll("part", SMALL, "pause:1");
    apply(manifest("part", "ctl", "pause:2", "\"maxUnavailable\":3,\"partition\":7", null));
    JsonNode status = awaitStatus("part", "3 updated, rollout complete with partition 7",
        s -> s.path("updatedNumberScheduled").asInt() == 3 && s.path("numberAvailable").asInt() == SMALL
            && "Complete".equals(s.path("rollout").path("phase").asText()));
    assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(SMALL);
    assertImages("part", 7, 3);
    assertQuiet("part");
    assertImages("part", 7, 3);
    // the wide table shows the partition
    String wide = kubectl.ok("get", "ds", "part", "-o", "wide", "--no-headers").out().trim();
    assertThat(wide.split("\\s+")).contains("Complete", "false", "7");
  }

  // ---- paused ------------------------------------------------------------------------------------------------

  @Test
  @Order(2)
  void pausedHoldsAndUnpausingContinues() throws Exception {
    apply(manifest("hold", "ctl", "pause:1", "\"maxUnavailable\":2", null));
    awaitAll("hold", SMALL, "pause:1");
    kubectl.ok("patch", "ds", "hold", "--type=merge", "-p",
        "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"paused\":true}}}}");
    kubectl.ok("set", "image", "ds/hold", "c=pause:2");
    JsonNode reconciled = Quiet.reconciled(api, DS + "hold");
    assertThat(reconciled.path("spec").path("updateStrategy").path("rollingUpdate").path("paused").asBoolean())
        .as("the controller's writes keep the field").isTrue();
    assertThat(reconciled.path("status").path("rollout").path("phase").asText()).isEqualTo("Paused");
    assertThat(reconciled.path("status").path("updatedNumberScheduled").asInt()).isZero();
    assertQuiet("hold");
    assertImages("hold", SMALL, 0);

    kubectl.ok("patch", "ds", "hold", "--type=merge", "-p",
        "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"paused\":false}}}}");
    awaitAll("hold", SMALL, "pause:2");
  }

  // ---- rollingUpdate.selector --------------------------------------------------------------------------------

  @Test
  @Order(3)
  void aSelectorScopedUpdateTouchesOnlyMatchingNodes() throws Exception {
    kubectl.ok("label", "node", "ctl-2", "ctl-5", "ctl-9", "wave=first");
    apply(manifest("scoped", "ctl", "pause:1", "\"maxUnavailable\":2", null));
    awaitAll("scoped", SMALL, "pause:1");
    apply(manifest("scoped", "ctl", "pause:2",
        "\"maxUnavailable\":2,\"selector\":{\"matchLabels\":{\"wave\":\"first\"}}", null));
    awaitStatus("scoped", "the three matching nodes updated", s -> s.path("updatedNumberScheduled").asInt() == 3
        && s.path("numberAvailable").asInt() == SMALL);
    assertThat(nodesWith("scoped", "pause:2")).containsExactly("ctl-2", "ctl-5", "ctl-9");
    assertQuiet("scoped");
    assertThat(nodesWith("scoped", "pause:2")).containsExactly("ctl-2", "ctl-5", "ctl-9");

    // clearing it continues the rollout everywhere
    kubectl.ok("patch", "ds", "scoped", "--type=json", "-p",
        "[{\"op\":\"remove\",\"path\":\"/spec/updateStrategy/rollingUpdate/selector\"}]");
    awaitAll("scoped", SMALL, "pause:2");
  }

  // ---- canary ------------------------------------------------------------------------------------------------

  @Test
  @Order(4)
  void aCanaryHoldsUntilItsSoakPasses() throws Exception {
    apply(manifest("canary", "ctl", "pause:1", "\"maxUnavailable\":2", null));
    awaitAll("canary", SMALL, "pause:1");
    apply(manifest("canary", "ctl", "pause:2",
        "\"maxUnavailable\":2,\"canary\":{\"nodes\":2,\"soakSeconds\":6}", null));
    JsonNode holding = awaitStatus("canary", "two canary pods available, soaking",
        s -> "Canary".equals(s.path("rollout").path("phase").asText())
            && s.path("rollout").path("canary").path("soakEndsAt").isTextual());
    assertThat(holding.path("updatedNumberScheduled").asInt()).isEqualTo(2);
    Set<String> canaryNodes = new TreeSet<>();
    holding.path("rollout").path("canary").path("nodes").forEach(n -> canaryNodes.add(n.asText()));
    assertThat(canaryNodes).hasSize(2);
    Instant soakEndsAt = Instant.parse(holding.path("rollout").path("canary").path("soakEndsAt").asText());

    awaitAll("canary", SMALL, "pause:2");
    // every non-canary pod of the new revision was created once the soak had passed
    for (JsonNode pod : api.pods("canary")) {
      if (!canaryNodes.contains(pod.path("spec").path("nodeName").asText())) {
        Instant created = Instant.parse(pod.path("metadata").path("creationTimestamp").asText());
        assertThat(created).isAfterOrEqualTo(soakEndsAt.truncatedTo(ChronoUnit.SECONDS));
      }
    }
    assertThat(events("canary")).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("CanaryPassed"));
  }

  // ---- crash fate: Pause and Rollback ------------------------------------------------------------------------

  @Test
  @Order(5)
  void aCrashingRevisionWithPausePolicyStopsWithinMaxUnavailable() throws Exception {
    String controls = "\"maxUnavailable\":5,\"failurePolicy\":\"Pause\"";
    apply(manifest("halt", "crash", "pause:1", controls, null));
    awaitAll("halt", LARGE, "pause:1");
    apply(manifest("halt", "crash", "pause:2", controls, "crash-loop"));
    JsonNode failed = awaitStatus("halt", "the rollout failed", s -> "Failed".equals(s.path("rollout").path("phase")
        .asText()));
    String newRevision = failed.path("rollout").path("updateRevision").asText();
    assertThat(failed.path("rollout").path("failedRevision").asText()).isEqualTo(newRevision);
    assertThat(condition(failed, "Progressing").path("reason").asText()).isEqualTo("UpdatedPodsCrashLooping");
    // failed at the threshold (3 crash-looping), with no more than maxUnavailable (5) replaced
    assertThat(nodesWith("halt", "pause:2").size()).isBetween(3, 5);
    // why they are unavailable: the rollout's doing (crash-looping), not the nodes'
    JsonNode why = awaitStatus("halt", "the crash-looping pods counted as such", s -> s.path("rollout")
        .path("unavailable").path("crashLooping").asInt() >= 3).path("rollout").path("unavailable");
    assertThat(why.path("nodeNotReady").asInt()).isZero();
    System.out.println("rollout-safety: " + LARGE + " hollow nodes, failurePolicy Pause: "
        + nodesWith("halt", "pause:2").size() + " pods replaced when the rollout failed (maxUnavailable 5), "
        + "unavailable " + why);
    assertQuiet("halt");
    assertThat(nodesWith("halt", "pause:2").size()).isLessThanOrEqualTo(5);
    assertThat(nodesWith("halt", "pause:1").size()).isGreaterThanOrEqualTo(LARGE - 5);
    JsonNode warning = events("halt").stream().filter(e -> e.path("type").asText().equals("Warning")
        && e.path("reason").asText().equals("UpdatedPodsCrashLooping")).findFirst().orElseThrow();
    assertThat(warning.path("message").asText()).contains("crash-").contains("failurePolicy Pause");
  }

  @Test
  @Order(6)
  void aCrashingRevisionWithRollbackPolicyReturnsToTheLastGoodOneByItself() throws Exception {
    String controls = "\"maxUnavailable\":5,\"failurePolicy\":\"Rollback\"";
    apply(manifest("back", "crash", "pause:1", controls, null));
    awaitAll("back", LARGE, "pause:1");
    String good = api.read(DS + "back").path("status").path("rollout").path("lastGoodRevision").asText();
    assertThat(good).isNotEmpty();
    Path failing = apply(manifest("back", "crash", "pause:2", controls, "crash-loop"));
    awaitStatus("back", "rolled back: every pod on the last good revision and available",
        s -> "Failed".equals(s.path("rollout").path("phase").asText())
            && good.equals(s.path("rollout").path("runningRevision").asText())
            && s.path("numberAvailable").asInt() == LARGE && s.path("updatedNumberScheduled").asInt() == 0);
    awaitAll("back", LARGE, "pause:1");
    // the user's template is untouched
    assertThat(kubectl.ok("get", "ds", "back", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out())
        .isEqualTo("pause:2");
    // re-applying the failed template changes nothing, and it stays there
    kubectl.ok("apply", "-f", failing.toString());
    assertQuiet("back");
    assertThat(nodesWith("back", "pause:1")).hasSize(LARGE);
    JsonNode warning = events("back").stream().filter(e -> e.path("type").asText().equals("Warning")
        && e.path("reason").asText().equals("UpdatedPodsCrashLooping")).findFirst().orElseThrow();
    assertThat(warning.path("message").asText()).contains("rolling back to revision " + good);
  }

  // ---- plan before apply -----------------------------------------------------------------------------------

  @Test
  @Order(7)
  void thePlanOfAChangeIsWhatTheRolloutThenDoes() throws Exception {
    String controls = "\"maxUnavailable\":1,\"partition\":6";
    apply(manifest("planned", "ctl", "pause:1", controls, null));
    awaitAll("planned", SMALL, "pause:1");
    String change = manifest("planned", "ctl", "pause:2", controls, null);

    // the CLI, as a user runs it: a table by default, the subresource's JSON with -o json
    Path file = Files.createTempFile(tmp, "plan-", ".json");
    Files.writeString(file, change);
    String table = cli("-f", file.toString(), "--kubeconfig", api.server().kubeconfigPath().toString());
    assertThat(table).contains("DaemonSet default/planned, planned against resourceVersion")
        .contains("4 to replace, 0 to create, 0 to delete, in 8 steps").contains("Held: partition 6");
    JsonNode plan = Json.read(cli("-f", file.toString(), "-o", "json", "--kubeconfig",
        api.server().kubeconfigPath().toString()), JsonNode.class);
    assertThat(plan.path("kind").asText()).isEqualTo("DaemonSetPlan");
    // the API answers the same, and planning changed nothing
    JsonNode viaApi = api.ok("POST", DS + "planned/plan", "application/json", change).json();
    assertThat(viaApi.path("changes")).isEqualTo(plan.path("changes"));
    String resourceVersion = plan.path("resourceVersion").asText();
    assertThat(api.read(DS + "planned").path("metadata").path("resourceVersion").asText())
        .isEqualTo(resourceVersion);
    Set<String> planned = new TreeSet<>();
    plan.path("changes").forEach(c -> {
      assertThat(c.path("action").asText()).isEqualTo("Replace");
      planned.add(c.path("node").asText());
    });
    int plannedWrites = 0;
    for (JsonNode step : plan.path("steps")) {
      plannedWrites += (step.path("create").isEmpty() ? 0 : 1) + (step.path("delete").isEmpty() ? 0 : 1);
    }

    // apply with the resourceVersion planned against: accepted, nothing changed meanwhile
    Set<String> before = eventWrites("planned");
    Path pinned = apply(change.replace("\"metadata\":{\"name\":\"planned\"}",
        "\"metadata\":{\"name\":\"planned\",\"resourceVersion\":\"" + resourceVersion + "\"}"));
    awaitStatus("planned", "the partitioned rollout complete", s -> s.path("updatedNumberScheduled").asInt() == 4
        && s.path("numberAvailable").asInt() == SMALL && "Complete".equals(s.path("rollout").path("phase").asText()));
    assertThat(new TreeSet<>(nodesWith("planned", "pause:2"))).isEqualTo(planned);
    Set<String> writes = eventWrites("planned");
    writes.removeAll(before);
    assertThat(writes).as("create and delete writes of the rollout").hasSize(plannedWrites);

    // the same manifest, pinned to that resourceVersion, is refused once something changed
    kubectl.ok("annotate", "ds", "planned", "touched=yes");
    Kubectl.Result stale = kubectl.run("replace", "-f", pinned.toString());
    assertThat(stale.exit()).isNotZero();
    assertThat(stale.all()).containsIgnoringCase("modified");
  }

  static String cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine command = new picocli.CommandLine(new PlanCommand());
    command.setOut(new java.io.PrintWriter(out));
    command.setErr(new java.io.PrintWriter(err));
    int exit = command.execute(args);
    assertThat(exit).as("plan " + String.join(" ", args) + ": " + err).isZero();
    return out.toString();
  }

  /** The journal writes (orderings) that created or deleted pods of this DaemonSet, from its Kubernetes Events. */
  static Set<String> eventWrites(String name) {
    Set<String> out = new TreeSet<>();
    for (JsonNode e : events(name)) {
      String reason = e.path("reason").asText();
      if (reason.equals("SuccessfulCreate") || reason.equals("SuccessfulDelete")) {
        String eventName = e.path("metadata").path("name").asText();
        int dash = eventName.indexOf('-', name.length() + 1);
        out.add(dash < 0 ? eventName : eventName.substring(0, dash));
      }
    }
    return out;
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  static String manifest(String name, String fleet, String image, String rollingUpdate, String fate) {
    String annotations = fate == null ? "" : ",\"annotations\":{\"hollow.daemonset.io/fate\":\"" + fate + "\"}";
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s"},
         "spec":{"selector":{"matchLabels":{"app":"%s"}},
           "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{%s}},
           "template":{"metadata":{"labels":{"app":"%s"}%s},
             "spec":{"nodeSelector":{"fleet":"%s"},"containers":[{"name":"c","image":"%s"}]}}}}
        """.formatted(name, name, rollingUpdate, name, annotations, fleet, image);
  }

  static Path apply(String manifest) throws Exception {
    Path file = Files.createTempFile(tmp, "ds-", ".json");
    Files.writeString(file, manifest);
    kubectl.ok("apply", "-f", file.toString());
    return file;
  }

  static JsonNode awaitStatus(String name, String what, Predicate<JsonNode> done) {
    return await(name + ": " + what, WAIT).until(() -> api.read(DS + name).path("status"), done);
  }

  /** Every desired pod on the image, available, the generation observed. */
  static void awaitAll(String name, int nodes, String image) {
    try {
      await(name + ": all " + nodes + " pods on " + image, WAIT).until(() -> {
        JsonNode ds = api.read(DS + name);
        JsonNode s = ds.path("status");
        return s.path("observedGeneration").asLong() == ds.path("metadata").path("generation").asLong()
            && s.path("desiredNumberScheduled").asInt() == nodes && s.path("numberAvailable").asInt() == nodes
            && nodesWith(name, image).size() == nodes;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // what the rollout was stuck on, for whoever reads the failure
      StringBuilder pods = new StringBuilder();
      api.pods(name).forEach(p -> pods.append("\n  ").append(p.path("metadata").path("name").asText()).append(' ')
          .append(p.path("spec").path("nodeName").asText()).append(' ')
          .append(p.path("spec").path("containers").get(0).path("image").asText()).append(' ')
          .append(p.path("status").path("phase").asText())
          .append(p.path("metadata").path("deletionTimestamp").isMissingNode() ? "" : " terminating"));
      throw new AssertionError(e.getMessage() + "\nDaemonSet: " + api.read(DS + name).path("status")
          + "\nspec.updateStrategy: " + api.read(DS + name).path("spec").path("updateStrategy") + "\npods:" + pods, e);
    }
  }

  /** The nodes whose live pod of this DaemonSet runs the image. */
  static List<String> nodesWith(String name, String image) {
    List<String> out = new ArrayList<>();
    for (JsonNode pod : api.pods(name)) {
      if (pod.path("metadata").path("deletionTimestamp").isMissingNode()
          && pod.path("spec").path("containers").get(0).path("image").asText().equals(image)) {
        out.add(pod.path("spec").path("nodeName").asText());
      }
    }
    return out.stream().sorted().toList();
  }

  static void assertImages(String name, int old, int updated) {
    Map<String, Integer> byImage = new TreeMap<>();
    api.pods(name).stream().filter(p -> p.path("metadata").path("deletionTimestamp").isMissingNode())
        .forEach(p -> byImage.merge(p.path("spec").path("containers").get(0).path("image").asText(), 1,
            Integer::sum));
    assertThat(byImage.getOrDefault("pause:1", 0)).as("old pods " + byImage).isEqualTo(old);
    assertThat(byImage.getOrDefault("pause:2", 0)).as("updated pods " + byImage).isEqualTo(updated);
  }

  /**
   * Nothing moves: after one more reconcile, from the pods' list up to a marker on one of its pods, no pod of this
   * DaemonSet was added, removed or marked for deletion.
   */
  static void assertQuiet(String name) {
    String pods = "/api/v1/namespaces/default/pods?labelSelector=app%3D" + name;
    String from = Quiet.resourceVersion(api.read(pods));
    Quiet.reconciled(api, DS + name);
    String marked = api.pods(name).get(0).path("metadata").path("name").asText();
    assertThat(Quiet.eventsBefore(api, pods, from, Quiet.podMarker(api, "default", marked)))
        .noneMatch(Quiet::removesOrAdds);
  }

  static List<JsonNode> events(String name) {
    List<JsonNode> out = new ArrayList<>();
    api.read("/api/v1/namespaces/default/events").path("items").forEach(e -> {
      if (e.path("involvedObject").path("name").asText().equals(name)) {
        out.add(e);
      }
    });
    return out;
  }

  static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return Json.mapper().createObjectNode();
  }
}
