package io.daemonset.api;

import io.daemonset.testing.TestControlPlane;
import io.daemonset.testing.Kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl auth can-i, can-i --list and whoami, answered by the authorizer the routes use; bad reviews refused. */
class AuthReviewsTest {
  @TempDir
  static Path tmp;
  @AutoClose
  static TestControlPlane cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    cluster = TestControlPlane.start(tmp);
    kubectl = cluster.kubectl();
  }

  @Test
  void canIAnswersYesForTheAdminAndNoForTheViewer() {
    Kubectl.Result admin = kubectl.run("auth", "can-i", "create", "daemonsets");
    assertThat(admin.exit()).as(admin.all()).isZero();
    assertThat(admin.out().trim()).isEqualTo("yes");
    Kubectl.Result viewer = kubectl.run("--context", "daemonset-viewer", "auth", "can-i", "create", "daemonsets");
    assertThat(viewer.exit()).as(viewer.all()).isEqualTo(1);
    assertThat(viewer.out().trim()).isEqualTo("no");
    Kubectl.Result viewerReads = kubectl.run("--context", "daemonset-viewer", "auth", "can-i", "list", "pods");
    assertThat(viewerReads.out().trim()).as(viewerReads.all()).isEqualTo("yes");
    Kubectl.Result path = kubectl.run("--context", "daemonset-viewer", "auth", "can-i", "get", "/version");
    assertThat(path.out().trim()).as(path.all()).isEqualTo("yes");
  }

  @Test
  void canIListShowsTheRulesOfTheCaller() {
    Kubectl.Result viewer = kubectl.run("--context", "daemonset-viewer", "auth", "can-i", "--list");
    assertThat(viewer.exit()).as(viewer.all()).isZero();
    assertThat(viewer.out()).containsPattern("daemonsets\\.apps\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]")
        .containsPattern("\\[/version\\]\\s+\\[\\]\\s+\\[get\\]")
        .doesNotContain("[create");
    Kubectl.Result admin = kubectl.run("auth", "can-i", "--list");
    assertThat(admin.out()).containsPattern("\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]");
  }

  @Test
  void nodeAgentsSeeTheirOwnNodeByName() {
    io.daemonset.testing.Response rules = cluster.call("POST", Reviews.RULES, cluster.nodeToken("n7"), "application/json",
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"spec\":"
            + "{\"namespace\":\"default\"}}");
    assertThat(rules.code()).as(rules.toString()).isEqualTo(201);
    assertThat(rules.body()).contains("{\"verbs\":[\"update\",\"patch\"],\"apiGroups\":[\"\"],\"resources\":"
        + "[\"nodes\"],\"resourceNames\":[\"n7\"]}");
    io.daemonset.testing.Response access = cluster.call("POST", Reviews.ACCESS, cluster.nodeToken("n7"), "application/json",
        "{\"spec\":{\"resourceAttributes\":{\"verb\":\"patch\",\"resource\":\"nodes\",\"name\":\"n8\"}}}");
    assertThat(access.json().path("status").path("allowed").asBoolean(true)).as(access.toString()).isFalse();
  }

  @Test
  void whoamiPrintsTheUserAndGroups() {
    Kubectl.Result whoami = kubectl.run("auth", "whoami");
    assertThat(whoami.exit()).as(whoami.all()).isZero();
    assertThat(whoami.out()).containsPattern("Username\\s+admin").contains("system:masters")
        .contains("system:authenticated");
    Kubectl.Result viewer = kubectl.run("--context", "daemonset-viewer", "auth", "whoami", "-o", "json");
    JsonNode review = io.daemonset.model.Json.read(viewer.out(), JsonNode.class);
    assertThat(review.path("kind").asText()).isEqualTo("SelfSubjectReview");
    assertThat(review.path("status").path("userInfo").path("username").asText()).isEqualTo("viewer");
  }

  @Test
  void badReviewsGetAStatusWithTheRightCode() {
    io.daemonset.testing.Response malformed = cluster.post(Reviews.ACCESS, "{not json");
    assertThat(malformed.code()).isEqualTo(400);
    assertThat(malformed.json().path("kind").asText()).isEqualTo("Status");
    io.daemonset.testing.Response neither = cluster.post(Reviews.ACCESS, "{\"kind\":\"SelfSubjectAccessReview\",\"spec\":{}}");
    assertThat(neither.code()).isEqualTo(422);
    assertThat(neither.json().path("details").path("causes").path(0).path("field").asText())
        .isEqualTo("spec.resourceAttributes");
    io.daemonset.testing.Response wrongKind = cluster.post(Reviews.WHOAMI, "{\"kind\":\"Pod\"}");
    assertThat(wrongKind.code()).isEqualTo(400);
    assertThat(wrongKind.json().path("message").asText()).contains("does not match the expected kind");
    io.daemonset.testing.Response notAnObject = cluster.post(Reviews.RULES, "[]");
    assertThat(notAnObject.code()).isEqualTo(400);
    io.daemonset.testing.Response get = cluster.get(Reviews.WHOAMI);
    assertThat(get.code()).isEqualTo(405);
    assertThat(get.json().path("reason").asText()).isEqualTo("MethodNotAllowed");
    io.daemonset.testing.Response anonymous = cluster.call("POST", Reviews.WHOAMI, null, "application/json", "{}");
    assertThat(anonymous.code()).isEqualTo(401);
  }
}
