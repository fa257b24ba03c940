package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consistent lists (issue 14, item 7) with the real kubectl against a server whose watch window is two seconds:
 * pages of one list come from the snapshot at its first page's resourceVersion; resourceVersion and
 * resourceVersionMatch are honoured; an expired continue token, a too-old exact list and a watch from a compacted
 * resourceVersion answer 410 Expired as kube-apiserver does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlPagingTest {
  static final String NS = "paging";
  static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

  @TempDir
  static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, """
        daemonset.view.watch-window = 2s
        daemonset.view.watch-window-max-changes = 100000
        """);
    kubectl = api.kubectl();
    kubectl.ok("create", "namespace", NS);
    for (String name : List.of("a", "b", "c", "d", "e")) {
      kubectl.ok("create", "configmap", name, "-n", NS, "--from-literal=v=1");
    }
  }

  static JsonNode raw(String path) {
    return Json.read(kubectl.ok("get", "--raw", path).out(), JsonNode.class);
  }

  static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    return names;
  }

  @Test
  @Order(1)
  void pagesOfOneListComeFromTheSnapshotOfItsFirstPage() {
    JsonNode first = raw(CONFIGMAPS + "?limit=2");
    assertThat(names(first)).containsExactly("a", "b");
    String rv = first.path("metadata").path("resourceVersion").asText();
    String token = first.path("metadata").path("continue").asText();
    assertThat(first.path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);

    // Between the pages: one created after the first page's key, one deleted and one changed on the next page.
    kubectl.ok("create", "configmap", "cc", "-n", NS, "--from-literal=v=1");
    kubectl.ok("delete", "configmap", "d", "-n", NS);
    kubectl.ok("label", "configmap", "c", "-n", NS, "changed=yes");

    JsonNode second = raw(CONFIGMAPS + "?limit=2&continue=" + token);
    assertThat(names(second)).containsExactly("c", "d");
    assertThat(second.path("items").get(0).path("metadata").path("labels").has("changed")).isFalse();
    assertThat(second.path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
    JsonNode third = raw(CONFIGMAPS + "?limit=2&continue=" + second.path("metadata").path("continue").asText());
    assertThat(names(third)).containsExactly("e");
    assertThat(third.path("metadata").has("continue")).isFalse();

    // The same snapshot, asked for by version; and the latest, by kubectl's own chunked list.
    assertThat(names(raw(CONFIGMAPS + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact")))
        .containsExactly("a", "b", "c", "d", "e");
    assertThat(names(raw(CONFIGMAPS + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan")))
        .containsExactly("a", "b", "c", "cc", "e");
    assertThat(kubectl.ok("get", "configmaps", "-n", NS, "--chunk-size=1", "-o", "name").out().lines().toList())
        .containsExactly("configmap/a", "configmap/b", "configmap/c", "configmap/cc", "configmap/e");
  }

  @Test
  @Order(2)
  void badListOptionsAreRefusedWithUpstreamsStatus() {
    Response noVersion = api.get(CONFIGMAPS + "?resourceVersionMatch=Exact");
    assertThat(noVersion.code()).as(noVersion.body()).isEqualTo(422);
    assertThat(noVersion.json().path("message").asText()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: "
        + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
    Response unknownMatch = api.get(CONFIGMAPS + "?resourceVersion=1&resourceVersionMatch=Newest");
    assertThat(unknownMatch.code()).isEqualTo(422);
    assertThat(unknownMatch.json().path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("resourceVersionMatch");
    JsonNode page = raw(CONFIGMAPS + "?limit=1");
    Response both = api.get(CONFIGMAPS + "?limit=1&resourceVersion=1&continue="
        + page.path("metadata").path("continue").asText());
    assertThat(both.code()).isEqualTo(400);
    assertThat(both.json().path("message").asText())
        .isEqualTo("specifying resource version is not allowed when using continue");
    assertThat(api.get(CONFIGMAPS + "?continue=not-a-token").code()).isEqualTo(400);
    assertThat(api.get(CONFIGMAPS + "?resourceVersion=abc").code()).isEqualTo(400);

    // Newer than anything the server has seen: it waits a moment for its view, then answers 504 as upstream does.
    long future = page.path("metadata").path("resourceVersion").asLong() + 1_000_000;
    Kubectl.Result tooNew = kubectl.run("get", "--raw", CONFIGMAPS + "?resourceVersion=" + future);
    assertThat(tooNew.exit()).isNotZero();
    assertThat(tooNew.err()).contains("Too large resource version: " + future);
  }

  @Test
  @Order(3)
  void anExpiredContinueTokenAnswers410WithATokenForTheRest() {
    JsonNode first = raw(CONFIGMAPS + "?limit=2");
    String rv = first.path("metadata").path("resourceVersion").asText();
    String token = first.path("metadata").path("continue").asText();

    // The window keeps two seconds of changes: once later changes have pushed the first page's version out of it,
    // the snapshot is gone (a marker change per poll moves the window; nothing sleeps).
    int[] marker = {0};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      kubectl.ok("annotate", "--overwrite", "configmap", "a", "-n", NS, "marker=" + marker[0]++);
      return api.get(CONFIGMAPS + "?limit=2&continue=" + token).code() == 410;
    });

    Kubectl.Result expired = kubectl.run("get", "--raw", CONFIGMAPS + "?limit=2&continue=" + token);
    assertThat(expired.exit()).isNotZero();
    assertThat(expired.err()).contains("Error from server (Expired)")
        .contains("The provided continue parameter is too old to display a consistent list result");
    JsonNode status = api.get(CONFIGMAPS + "?limit=2&continue=" + token).json();
    assertThat(status.path("reason").asText()).isEqualTo("Expired");
    assertThat(status.path("code").asInt()).isEqualTo(410);
    String rest = status.path("metadata").path("continue").asText();
    assertThat(rest).isNotEmpty();
    JsonNode remainder = raw(CONFIGMAPS + "?limit=10&continue=" + rest);
    assertThat(names(remainder)).containsExactly("c", "cc", "e");

    Kubectl.Result tooOld = kubectl.run("get", "--raw",
        CONFIGMAPS + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact");
    assertThat(tooOld.err()).contains("Error from server (Expired)")
        .contains("The resourceVersion for the provided list is too old.");
  }

  @Test
  @Order(4)
  void aWatchFromACompactedVersionGetsAnErrorEventCarrying410() {
    String rv = raw(CONFIGMAPS).path("metadata").path("resourceVersion").asText();
    int[] marker = {0};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      kubectl.ok("annotate", "--overwrite", "configmap", "a", "-n", NS, "watch-marker=" + marker[0]++);
      return api.get(CONFIGMAPS + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact").code() == 410;
    });
    // Upstream answers such a watch with 200 and one ERROR event, then ends the stream; client-go relists on it.
    Kubectl.Result watch = kubectl.run("get", "--raw", CONFIGMAPS + "?watch=true&resourceVersion=" + rv);
    assertThat(watch.exit()).as(watch.all()).isZero();
    List<String> events = watch.out().lines().toList();
    assertThat(events).hasSize(1);
    JsonNode error = Json.read(events.get(0), JsonNode.class);
    assertThat(error.path("type").asText()).isEqualTo("ERROR");
    assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
    assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
  }
}
