package io.daemonset.api;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DaemonSet CRUD over HTTPS against a real control plane, with agents that speak the API. */
class DaemonSetRoutesTest {
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";
  static final String EXT = "/apis/extensions/v1beta1/namespaces/default/daemonsets";

  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG);
    cluster = fixture.cluster();
    agents = fixture.agents();
    agents.join("n1", Map.of("disk", "ssd"));
    agents.join("n2", Map.of());
  }

  static String daemonSet(String name, String image) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{"selector":{"matchLabels":{"app":"%s"}},
                 "template":{"metadata":{"labels":{"app":"%s"}},
                             "spec":{"containers":[{"name":"c","image":"%s"}]}}}}
        """.formatted(name, name, name, name, image);
  }

  static List<JsonNode> podsOf(String ds) {
    List<JsonNode> out = new ArrayList<>();
    cluster.get("/api/v1/namespaces/default/pods?labelSelector=app%3D" + ds).json().path("items").forEach(out::add);
    return out;
  }

  @Test
  void createGetListAndDefaulting() {
    Response created = cluster.post(DS, daemonSet("web", "nginx:1"));
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode ds = created.json();
    assertThat(ds.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(ds.path("metadata").path("uid").asText()).isNotEmpty();
    assertThat(ds.path("metadata").path("resourceVersion").asText()).isNotEmpty();
    assertThat(ds.path("metadata").path("generation").asLong()).isEqualTo(1);
    assertThat(ds.path("spec").path("updateStrategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(ds.path("spec").path("revisionHistoryLimit").asInt()).isEqualTo(10);

    await("a running pod per node").until(() -> podsOf("web").size() == 2
        && podsOf("web").stream().allMatch(p -> p.path("status").path("phase").asText().equals("Running")));
    assertThat(podsOf("web")).extracting(p -> p.path("spec").path("nodeName").asText())
        .containsExactlyInAnyOrder("n1", "n2");

    JsonNode got = cluster.get(DS + "/web").json();
    assertThat(got.path("metadata").path("name").asText()).isEqualTo("web");
    JsonNode list = cluster.get(DS).json();
    assertThat(list.path("kind").asText()).isEqualTo("DaemonSetList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(list.path("metadata").path("resourceVersion").asText()).isNotEmpty();

    Response again = cluster.post(DS, daemonSet("web", "nginx:1"));
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.json().path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(again.json().path("message").asText()).isEqualTo("daemonsets.apps \"web\" already exists");
  }

  static String extensionsDaemonSet(String name, String image) {
    return """
        {"apiVersion":"extensions/v1beta1","kind":"DaemonSet","metadata":{"name":"%s"},
         "spec":{"template":{"metadata":{"labels":{"app":"%s"}},
                             "spec":{"containers":[{"name":"c","image":"%s"}]}}}}
        """.formatted(name, name, image);
  }

  @Test
  void extensionsV1beta1IsDefaultedAsV1beta1AndStoredAsAppsV1() {
    Response created = cluster.post(EXT, extensionsDaemonSet("legacy", "busybox:1"));
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode ds = created.json();
    assertThat(ds.path("apiVersion").asText()).isEqualTo("extensions/v1beta1");
    assertThat(ds.path("spec").path("updateStrategy").path("type").asText()).isEqualTo("OnDelete");
    assertThat(ds.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("legacy");
    assertThat(ds.path("metadata").path("labels").path("app").asText()).isEqualTo("legacy");
    assertThat(cluster.get(DS + "/legacy").json().path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(cluster.get(EXT + "/legacy").json().path("apiVersion").asText()).isEqualTo("extensions/v1beta1");
    assertThat(cluster.get(EXT).json().path("apiVersion").asText()).isEqualTo("extensions/v1beta1");

    await("legacy pods").until(() -> podsOf("legacy").size() == 2);
    // Through extensions/v1beta1, deletion without options orphans the pods, as upstream.
    Response deleted = cluster.delete(EXT + "/legacy", null);
    assertThat(deleted.code()).as(deleted.body()).isEqualTo(200);
    // As upstream: the object stays (finalizer orphan) until every pod is released, then it is gone.
    if (deleted.json().path("kind").asText().equals("DaemonSet")) {
      assertThat(deleted.json().path("metadata").path("finalizers").toString()).contains("orphan");
    } else {
      assertThat(deleted.json().path("status").asText()).isEqualTo("Success");
    }
    await("legacy deleted").until(() -> cluster.get(DS + "/legacy").code() == 404);
    await("orphaned pods").until(() -> podsOf("legacy").size() == 2 && podsOf("legacy").stream()
        .allMatch(p -> p.path("metadata").path("ownerReferences").isMissingNode()));
  }

  @Test
  void updateWithAStaleResourceVersionIsAConflict() {
    assertThat(cluster.post(DS, daemonSet("upd", "nginx:1")).code()).isEqualTo(201);
    // as kubectl replace: the latest resourceVersion, read again when the controller's status write got in between
    String[] v2 = new String[1];
    Response[] put = new Response[1];
    await("an update at the latest resourceVersion").until(() -> {
      String rv = cluster.get(DS + "/upd").json().path("metadata").path("resourceVersion").asText();
      v2[0] = daemonSet("upd", "nginx:2").replace("\"name\":\"upd\",",
          "\"name\":\"upd\",\"resourceVersion\":\"" + rv + "\",");
      put[0] = cluster.put(DS + "/upd", v2[0]);
      assertThat(put[0].code()).as(put[0].body()).isIn(200, 409);
      return put[0].code() == 200;
    });
    Response updated = put[0];
    assertThat(updated.json().path("metadata").path("generation").asLong()).isEqualTo(2);
    assertThat(updated.json().at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");

    Response stale = cluster.put(DS + "/upd", v2[0].replace("nginx:2", "nginx:3"));
    assertThat(stale.code()).isEqualTo(409);
    assertThat(stale.json().path("reason").asText()).isEqualTo("Conflict");
    assertThat(stale.json().path("message").asText()).isEqualTo("Operation cannot be fulfilled on daemonsets.apps "
        + "\"upd\": the object has been modified; please apply your changes to the latest version and try again");

    Response otherName = cluster.put(DS + "/upd", daemonSet("other", "nginx:3"));
    assertThat(otherName.code()).isEqualTo(400);
    assertThat(otherName.json().path("message").asText())
        .isEqualTo("the name of the object (other) does not match the name on the URL (upd)");
  }

  @Test
  void invalidStrictWarnAndDryRun() {
    Response invalid = cluster.post(DS, daemonSet("bad", "nginx:1")
        .replace("\"template\":{\"metadata\":{\"labels\":{\"app\":\"bad\"}}",
            "\"template\":{\"metadata\":{\"labels\":{\"app\":\"other\"}}"));
    assertThat(invalid.code()).as(invalid.body()).isEqualTo(422);
    JsonNode status = invalid.json();
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("details").path("kind").asText()).isEqualTo("DaemonSet");
    assertThat(status.path("details").path("group").asText()).isEqualTo("apps");
    assertThat(status.path("message").asText()).startsWith("DaemonSet.apps \"bad\" is invalid: ")
        .contains("spec.template.metadata.labels");
    assertThat(status.path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("spec.template.metadata.labels");

    String unknown = daemonSet("strict", "nginx:1").replace("\"selector\"", "\"color\":\"red\",\"selector\"");
    Response strict = cluster.post(DS + "?fieldValidation=Strict", unknown);
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.json().path("message").asText()).isEqualTo("DaemonSet in version \"v1\" cannot be handled as "
        + "a DaemonSet: strict decoding error: unknown field \"spec.color\"");

    Response dry = cluster.post(DS + "?fieldValidation=Warn&dryRun=All", unknown);
    assertThat(dry.code()).as(dry.body()).isEqualTo(201);
    assertThat(dry.warnings()).containsExactly("299 - \"unknown field \\\"spec.color\\\"\"");
    assertThat(dry.json().path("metadata").path("uid").asText()).isNotEmpty();
    assertThat(cluster.get(DS + "/strict").code()).as("dryRun stores nothing").isEqualTo(404);

    Response badDryRun = cluster.post(DS + "?dryRun=Some", daemonSet("x", "nginx:1"));
    assertThat(badDryRun.code()).isEqualTo(400);
  }

  static List<String> conditionTypes(String ds) {
    List<String> out = new ArrayList<>();
    cluster.get(DS + "/" + ds).json().path("status").path("conditions").forEach(c -> out.add(c.path("type").asText()));
    return out;
  }

  /**
   * Upstream's conformance test "should verify changes to a daemon set status" (test/e2e/apps/daemon_set.go): a
   * condition added with PUT daemonsets/x/status is served on the next read, so is one set with a merge patch; here
   * also JSON and strategic patches, and the controller afterwards rewrites the counters a client wrote there but
   * keeps the client's conditions (upstream storeDaemonSetStatus).
   */
  @Test
  void shouldVerifyChangesToADaemonSetStatus() {
    cluster.post(DS, daemonSet("st", "nginx:1"));
    await("both pods ready").until(() -> cluster.get(DS + "/st").json().at("/status/numberReady").asInt() == 2);

    JsonNode read = cluster.get(DS + "/st").json();
    ObjectNode status = (ObjectNode) read.path("status");
    status.putArray("conditions").addObject().put("type", "StatusUpdate").put("status", "True")
        .put("reason", "E2E").put("message", "Set from e2e test");
    status.put("numberReady", 42);
    Response put = cluster.put(DS + "/st/status", read.toString());
    assertThat(put.code()).as(put.body()).isEqualTo(200);
    assertThat(put.json().at("/status/conditions/0/reason").asText()).isEqualTo("E2E");
    assertThat(put.json().at("/metadata/generation").asLong()).isEqualTo(1);
    JsonNode condition = cluster.get(DS + "/st").json().at("/status/conditions/0");
    assertThat(condition.path("type").asText()).isEqualTo("StatusUpdate");
    assertThat(condition.path("message").asText()).isEqualTo("Set from e2e test");
    await("the controller rewrites its counters, and only them").until(() ->
        cluster.get(DS + "/st").json().at("/status/numberReady").asInt() == 2);
    assertThat(conditionTypes("st")).containsExactly("StatusUpdate");

    Response merge = cluster.patch(DS + "/st/status", "application/merge-patch+json",
        "{\"status\":{\"conditions\":[{\"type\":\"StatusPatched\",\"status\":\"True\"}]}}");
    assertThat(merge.code()).as(merge.body()).isEqualTo(200);
    assertThat(conditionTypes("st")).as("a merge patch replaces the list").containsExactly("StatusPatched");

    Response strategic = cluster.patch(DS + "/st/status", "application/strategic-merge-patch+json",
        "{\"status\":{\"conditions\":[{\"type\":\"Strategic\",\"status\":\"False\"}]}}");
    assertThat(strategic.code()).as(strategic.body()).isEqualTo(200);
    assertThat(conditionTypes("st")).as("merged by type").containsExactlyInAnyOrder("StatusPatched", "Strategic");

    Response json = cluster.patch(DS + "/st/status", "application/json-patch+json",
        "[{\"op\":\"add\",\"path\":\"/status/conditions/-\",\"value\":{\"type\":\"Json\",\"status\":\"True\"}}]");
    assertThat(json.code()).as(json.body()).isEqualTo(200);
    assertThat(conditionTypes("st")).containsExactlyInAnyOrder("StatusPatched", "Strategic", "Json");

    Response spec = cluster.patch(DS + "/st/status", "application/merge-patch+json",
        "{\"spec\":{\"minReadySeconds\":9},\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    assertThat(spec.code()).as(spec.body()).isEqualTo(200);
    assertThat(spec.json().at("/spec/minReadySeconds").asInt()).as("status writes keep the spec").isZero();
    assertThat(spec.json().at("/metadata/labels/x").isMissingNode()).as("and the metadata").isTrue();

    Response negative = cluster.patch(DS + "/st/status", "application/merge-patch+json",
        "{\"status\":{\"numberReady\":-1}}");
    assertThat(negative.code()).isEqualTo(422);
    assertThat(negative.json().at("/details/causes/0/field").asText()).isEqualTo("status.numberReady");
    assertThat(conditionTypes("st")).as("nothing changed").containsExactlyInAnyOrder("StatusPatched", "Strategic",
        "Json");
  }

  static String withFinalizer(String name) {
    return daemonSet(name, "nginx:1").replace("\"metadata\":{\"name\":\"" + name + "\"",
        "\"metadata\":{\"name\":\"" + name + "\",\"finalizers\":[\"example.com/keep\"]");
  }

  /** The same through the real kubectl: {@code kubectl patch --subresource=status}, read back with kubectl get. */
  @Test
  void kubectlPatchesTheStatusSubresource() {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.daemonset.testing.Kubectl.available(), "kubectl is not on the PATH");
    cluster.post(DS, daemonSet("kst", "nginx:1"));
    var kubectl = cluster.kubectl();
    String patched = kubectl.output("patch", "ds", "kst", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"conditions\":[{\"type\":\"StatusPatched\",\"status\":\"True\",\"reason\":\"Kubectl\"}]}}");
    assertThat(patched).contains("daemonset.apps/kst patched");
    assertThat(kubectl.output("get", "ds", "kst", "-o", "jsonpath={.status.conditions[*].reason}")).isEqualTo("Kubectl");
  }

  /**
   * Issue 10 item 8: a user's finalizer keeps a Foreground-deleted DaemonSet until the user removes it; its pods go
   * meanwhile, and the user's finalizer stays beside the collector's own; no status is written once deletionTimestamp
   * is set. (Background, whose pods stay until the object is gone: KubectlBackgroundDeletionTest.)
   */
  @Test
  void userFinalizersAreHonouredOnDeletion() {
    for (String policy : List.of("Foreground")) {
      String name = "fin-" + policy.toLowerCase();
      assertThat(cluster.post(DS, withFinalizer(name)).code()).isEqualTo(201);
      await("two pods").until(() -> podsOf(name).size() == 2
          && cluster.get(DS + "/" + name).json().at("/status/currentNumberScheduled").asInt() == 2);

      Response deleting = cluster.delete(DS + "/" + name, "{\"propagationPolicy\":\"" + policy + "\"}");
      assertThat(deleting.code()).as(deleting.body()).isEqualTo(200);
      JsonNode kept = deleting.json();
      assertThat(kept.at("/metadata/deletionTimestamp").asText()).isNotEmpty();
      List<String> finalizers = new ArrayList<>();
      kept.at("/metadata/finalizers").forEach(f -> finalizers.add(f.asText()));
      assertThat(finalizers).containsExactlyElementsOf(policy.equals("Foreground")
          ? List.of("example.com/keep", "foregroundDeletion") : List.of("example.com/keep"));
      await("its pods gone").until(() -> podsOf(name).isEmpty());
      JsonNode still = cluster.get(DS + "/" + name).json();
      assertThat(still.at("/metadata/name").asText()).as("kept by the user's finalizer").isEqualTo(name);
      assertThat(still.at("/status/currentNumberScheduled").asInt()).as("no status written").isEqualTo(2);
      await("only the user's finalizer left").until(() -> cluster.get(DS + "/" + name).json()
          .at("/metadata/finalizers").toString().equals("[\"example.com/keep\"]"));

      Response adding = cluster.patch(DS + "/" + name, "application/merge-patch+json",
          "{\"metadata\":{\"finalizers\":[\"example.com/keep\",\"example.com/new\"]}}");
      assertThat(adding.code()).as("no new finalizer while deleting").isEqualTo(422);
      assertThat(adding.json().at("/details/causes/0/field").asText()).isEqualTo("metadata.finalizers");
      Response removed = cluster.patch(DS + "/" + name, "application/merge-patch+json",
          "{\"metadata\":{\"finalizers\":null}}");
      assertThat(removed.code()).as(removed.body()).isIn(200, 404);
      await("gone once the user's finalizer is").until(() -> cluster.get(DS + "/" + name).code() == 404);
    }
  }

  @Test
  void everyPatchType() {
    cluster.post(DS, daemonSet("pt", "nginx:1"));
    Response merge = cluster.patch(DS + "/pt", "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
    assertThat(merge.code()).as(merge.body()).isEqualTo(200);
    assertThat(merge.json().at("/metadata/labels/tier").asText()).isEqualTo("web");

    Response json = cluster.patch(DS + "/pt", "application/json-patch+json",
        "[{\"op\":\"add\",\"path\":\"/spec/minReadySeconds\",\"value\":5}]");
    assertThat(json.code()).as(json.body()).isEqualTo(200);
    assertThat(json.json().at("/spec/minReadySeconds").asInt()).isEqualTo(5);

    Response strategic = cluster.patch(DS + "/pt", "application/strategic-merge-patch+json",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:2\"}]}}}}");
    assertThat(strategic.code()).as(strategic.body()).isEqualTo(200);
    assertThat(strategic.json().at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");
    assertThat(strategic.json().at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .as("the strategic merge kept the container's other fields").isEqualTo("IfNotPresent");
    assertThat(strategic.json().at("/metadata/generation").asLong()).isEqualTo(3);

    String apply = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ssa\nspec:\n  selector:\n"
        + "    matchLabels: {app: ssa}\n  template:\n    metadata:\n      labels: {app: ssa}\n    spec:\n"
        + "      containers:\n      - name: c\n        image: nginx:1\n";
    Response created = cluster.patch(DS + "/ssa?fieldManager=kubectl", "application/apply-patch+yaml",
        apply);
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl");
    Response updated = cluster.patch(DS + "/ssa?fieldManager=kubectl", "application/apply-patch+yaml",
        apply.replace("nginx:1", "nginx:2"));
    assertThat(updated.code()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");
    Response conflict = cluster.patch(DS + "/ssa?fieldManager=other", "application/apply-patch+yaml",
        apply.replace("nginx:1", "nginx:3"));
    assertThat(conflict.code()).as(conflict.body()).isEqualTo(409);
    assertThat(conflict.json().path("message").asText()).startsWith("Apply failed with 1 conflict");

    Response unsupported = cluster.patch(DS + "/pt", "application/xml", "<x/>");
    assertThat(unsupported.code()).isEqualTo(415);
    Response missing = cluster.patch(DS + "/nope", "application/merge-patch+json", "{}");
    assertThat(missing.code()).isEqualTo(404);
  }

  @Test
  void listsPageAndSelect() {
    for (String name : List.of("page-a", "page-b", "page-c")) {
      assertThat(cluster.post(DS, daemonSet(name, "nginx:1").replace("\"labels\":{\"app\":\"" + name + "\"}},",
          "\"labels\":{\"app\":\"" + name + "\",\"paged\":\"yes\"}},")).code()).isEqualTo(201);
    }
    JsonNode first = cluster.get(DS + "?labelSelector=paged%3Dyes&limit=2").json();
    assertThat(first.path("items")).extracting(i -> i.at("/metadata/name").asText())
        .containsExactly("page-a", "page-b");
    String token = first.at("/metadata/continue").asText();
    assertThat(token).isNotEmpty();
    assertThat(first.at("/metadata/remainingItemCount").asLong()).isEqualTo(1);
    JsonNode second = cluster.get(DS + "?labelSelector=paged%3Dyes&limit=2&continue=" + token).json();
    assertThat(second.path("items")).extracting(i -> i.at("/metadata/name").asText()).containsExactly("page-c");
    assertThat(second.at("/metadata/continue").isMissingNode()).isTrue();
    assertThat(second.at("/metadata/resourceVersion").asText()).isEqualTo(first.at("/metadata/resourceVersion")
        .asText());

    JsonNode byName = cluster.get(DS + "?fieldSelector=metadata.name%3Dpage-b").json();
    assertThat(byName.path("items")).extracting(i -> i.at("/metadata/name").asText()).containsExactly("page-b");
    JsonNode allNamespaces = cluster.get("/apis/apps/v1/daemonsets?labelSelector=paged%3Dyes").json();
    assertThat(allNamespaces.path("items")).hasSize(3);

    Response badField = cluster.get(DS + "?fieldSelector=spec.color%3Dred");
    assertThat(badField.code()).isEqualTo(400);
    assertThat(badField.json().path("message").asText()).isEqualTo("field label not supported: spec.color");
    assertThat(cluster.get(DS + "?continue=garbage").code()).isEqualTo(400);

    Response table = cluster.call("GET", DS + "?labelSelector=paged%3Dyes", cluster.adminToken(), null, null);
    assertThat(table.json().path("kind").asText()).isEqualTo("DaemonSetList");
  }

  @Test
  void deletionsAsUpstream() {
    cluster.post(DS, daemonSet("fg", "nginx:1"));
    await("fg pods").until(() -> podsOf("fg").size() == 2);
    Response foreground = cluster.delete(DS + "/fg", "{\"propagationPolicy\":\"Foreground\"}");
    assertThat(foreground.code()).as(foreground.body()).isEqualTo(200);
    assertThat(foreground.json().path("kind").asText()).isEqualTo("DaemonSet");
    assertThat(foreground.json().at("/metadata/deletionTimestamp").asText()).isNotEmpty();
    assertThat(foreground.json().at("/metadata/finalizers/0").asText()).isEqualTo("foregroundDeletion");
    await("foreground deletion completes once the pods are gone").until(() -> cluster.get(DS + "/fg").code() == 404
        && podsOf("fg").isEmpty());

    cluster.post(DS, daemonSet("bg", "nginx:1"));
    Response precondition = cluster.delete(DS + "/bg", "{\"preconditions\":{\"uid\":\"nope\"}}");
    assertThat(precondition.code()).isEqualTo(409);
    Response dry = cluster.delete(DS + "/bg?dryRun=All", null);
    assertThat(dry.code()).isEqualTo(200);
    assertThat(cluster.get(DS + "/bg").code()).isEqualTo(200);
    Response background = cluster.delete(DS + "/bg", null);
    assertThat(background.code()).isEqualTo(200);
    assertThat(background.json().path("details").path("name").asText()).isEqualTo("bg");
    assertThat(background.json().path("details").path("kind").asText()).isEqualTo("daemonsets");
    await("background deletion removes the pods").until(() -> podsOf("bg").isEmpty());

    Response missing = cluster.delete(DS + "/bg", null);
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.json().path("message").asText()).isEqualTo("daemonsets.apps \"bg\" not found");
  }
}
