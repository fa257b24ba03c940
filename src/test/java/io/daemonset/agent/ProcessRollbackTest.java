package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Quiet;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of issue 11 with real processes: two node agents on the process runtime, a DaemonSet with
 * {@code failurePolicy: Rollback} applied with kubectl, then an update whose command exits at once. The new pod
 * crash-loops (kubelet's CrashLoopBackOff, from the agent), the rollout fails and rolls itself back: every pod back on
 * the last good revision and Ready, staying there; the user's template untouched; a Warning event explaining it.
 */
class ProcessRollbackTest {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets/phoenix";
  static final String PODS = "/api/v1/namespaces/default/pods?labelSelector=app%3Dphoenix";

  @TempDir Path tmp;

  @Test
  void anUpdateWhoseCommandExitsAtOnceIsRolledBackByItself() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    List<NodeAgent> agents = new ArrayList<>();
    try (TestControlPlane api = TestControlPlane.start(tmp.resolve("plane"))) {
      for (String name : List.of("phx-1", "phx-2")) {
        Path tokenFile = tmp.resolve(name + ".token");
        Files.writeString(tokenFile, api.nodeToken(name));
        NodeAgent agent = NodeAgent.start(NodeAgent.Settings.defaults(ApiTarget.fromFiles(api.url(), api.caFile(),
                tokenFile), name, tmp.resolve(name))
            .withLabels(Map.of("runtime", "phoenix"))
            .withCapacity(Flags.capacity("cpu=2,memory=4Gi,pods=20"))
            .withHeartbeatPeriod(Duration.ofSeconds(1))
            .withNodeIP("127.0.0.1")
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)), Clock.systemUTC());
        agents.add(agent);
        agent.registered().get(30, TimeUnit.SECONDS);
      }
      Kubectl kubectl = api.kubectl();
      apply(kubectl, manifest("echo good; touch ready; sleep 3600"));
      await("two Ready pods of the good revision", WAIT).until(() -> readyPods(api) == 2
          && api.read(DS).path("status").path("rollout").path("lastGoodRevision").isTextual());
      String good = api.read(DS).path("status").path("rollout").path("lastGoodRevision").asText();

      String broken = "echo broken; exit 3";
      apply(kubectl, manifest(broken));
      JsonNode status = await("rolled back by itself: both pods on the good revision and Ready", WAIT)
          .until(() -> api.read(DS).path("status"), s -> "Failed".equals(s.path("rollout").path("phase").asText())
              && good.equals(s.path("rollout").path("runningRevision").asText())
              && s.path("numberReady").asInt() == 2 && s.path("numberAvailable").asInt() == 2
              && onRevision(api, good) == 2);
      String failed = status.path("rollout").path("failedRevision").asText();
      assertThat(failed).isEqualTo(status.path("rollout").path("updateRevision").asText()).isNotEqualTo(good);

      // the user's template is untouched
      Kubectl.Result command = kubectl.run("get", "ds", "phoenix", "-o",
          "jsonpath={.spec.template.spec.containers[0].command[2]}");
      assertThat(command.out()).isEqualTo(broken);
      // a Warning event explains it
      Kubectl.Result events = kubectl.run("get", "events", "--field-selector", "type=Warning", "-o", "json");
      assertThat(events.exit()).as(events.all()).isZero();
      assertThat(events.out()).contains("UpdatedPodsCrashLooping").contains("rolling back to revision " + good)
          .contains("phx-");
      // and it stays there: one more reconcile, then from the pods' list up to a marker nothing was added or removed
      String from = Quiet.resourceVersion(api.read(PODS));
      Quiet.reconciled(api, DS);
      String marked = api.pods("phoenix").get(0).path("metadata").path("name").asText();
      assertThat(Quiet.eventsBefore(api, PODS, from, Quiet.podMarker(api, "default", marked)))
          .noneMatch(Quiet::removesOrAdds);
      assertThat(onRevision(api, good)).isEqualTo(2);
      assertThat(readyPods(api)).isEqualTo(2);
    } finally {
      agents.forEach(a -> a.close(true));
    }
  }

  static String manifest(String script) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"phoenix"},
         "spec":{"selector":{"matchLabels":{"app":"phoenix"}},
           "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"failurePolicy":"Rollback"}},
           "template":{"metadata":{"labels":{"app":"phoenix"}},
             "spec":{"nodeSelector":{"runtime":"phoenix"},"terminationGracePeriodSeconds":2,
               "containers":[{"name":"c","image":"busybox","command":["sh","-c","%s"],
                 "readinessProbe":{"exec":{"command":["test","-f","ready"]},"periodSeconds":1}}]}}}}
        """.formatted(script);
  }

  void apply(Kubectl kubectl, String manifest) throws Exception {
    Path file = Files.createTempFile(tmp, "phoenix-", ".json");
    Files.writeString(file, manifest);
    Kubectl.Result result = kubectl.run("apply", "-f", file.toString());
    assertThat(result.exit()).as(result.all()).isZero();
  }

  static long readyPods(TestControlPlane api) {
    return api.pods("phoenix").stream().filter(TestControlPlane::ready).count();
  }

  /** Live pods whose controller-revision-hash is the revision. */
  static long onRevision(TestControlPlane api, String revision) {
    return api.pods("phoenix").stream()
        .filter(p -> p.path("metadata").path("deletionTimestamp").isMissingNode())
        .filter(p -> revision.equals(p.path("metadata").path("labels").path("controller-revision-hash").asText()))
        .count();
  }
}
