package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl logs -f} (issue 14, item 3) with the real kubectl, a real process agent and a container that counts
 * a line every 200 ms: the follower prints lines written after it started, honours --tail and --limit-bytes, and
 * ends when the pod is deleted; --timestamps, --since and --since-time use the time the agent keeps per line.
 */
class KubectlLogsFollowTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";
  static final Pattern LINE = Pattern.compile("count (\\d+)");

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static NodeAgent agent;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    kubectl = api.kubectl();
    agent = api.startAgent("follow-1", "--runtime", "process");
  }

  static int lastCount(String out) {
    Matcher m = LINE.matcher(out);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  static final Pattern STAMPED = Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)\\.\\d{9}Z count (\\d+)");

  /**
   * --timestamps prefixes each line with the time it was written (kubelet's RFC3339NanoFixed); --since-time and
   * --since leave out the lines written before, also when following.
   */
  void timesAreKeptPerLine(String pod) throws Exception {
    await("lines over five seconds").atMost(WAIT).until(() -> lastCount(kubectl.run("logs", pod).out()) >= 25);
    Kubectl.Result stamped = kubectl.run("logs", "--timestamps", pod);
    assertThat(stamped.exit()).as(stamped.all()).isZero();
    List<String> lines = stamped.out().lines().toList();
    assertThat(lines).allMatch(line -> STAMPED.matcher(line).matches());
    java.util.function.Function<String, String> second = line -> {
      Matcher m = STAMPED.matcher(line);
      assertThat(m.matches()).isTrue();
      return m.group(1);
    };
    // the first line written in a later second than line 1 (kubectl sends sinceTime to the second)
    String later = lines.stream().filter(l -> second.apply(l).compareTo(second.apply(lines.get(0))) > 0).findFirst()
        .orElseThrow();
    Kubectl.Result sinceTime = kubectl.run("logs", "--timestamps", "--since-time=" + second.apply(later) + "Z", pod);
    assertThat(sinceTime.exit()).as(sinceTime.all()).isZero();
    assertThat(sinceTime.out()).startsWith(later + "\n").doesNotContain("count 1\n");
    assertThat(sinceTime.out().lines()).allMatch(l -> second.apply(l).compareTo(second.apply(later)) >= 0);
    // the first line is five seconds old: --since=2s leaves it out, and keeps the latest
    Kubectl.Result recent = kubectl.run("logs", "--since=2s", pod);
    assertThat(recent.exit()).as(recent.all()).isZero();
    assertThat(recent.out()).doesNotContain("count 1\n").matches("(count \\d+\n)+");
    assertThat(lastCount(recent.out())).isGreaterThanOrEqualTo(25);
    try (Kubectl.Running follow = kubectl.start("logs", "-f", "--timestamps", "--tail=1", pod)) {
      int atStart = lastCount(kubectl.run("logs", pod).out());
      await("stamped lines written after -f started").atMost(WAIT)
          .until(() -> lastCount(follow.out()) >= atStart + 3);
      assertThat(follow.out().lines()).allMatch(line -> STAMPED.matcher(line).matches());
    }
  }

  @Test
  void followPrintsLinesWrittenAfterItStartedUntilThePodIsDeleted() throws Exception {
    api.ok("POST", DS, "application/json", NodeJoinTest.daemonSet("counter", "any",
        "[\"sh\",\"-c\",\"i=0; while true; do i=$((i+1)); echo count $i; sleep 0.2; done\"]")
        .replace("\"nodeSelector\":{\"role\":\"any\"},", ""));
    await("the pod running").atMost(WAIT).until(() -> api.pods("counter").stream().anyMatch(TestControlPlane::ready));
    String pod = api.pods("counter").get(0).path("metadata").path("name").asText();
    await("the first lines").atMost(WAIT).until(() -> lastCount(kubectl.run("logs", pod).out()) >= 2);

    // since*: checked as upstream checks them; applied by the agent, which keeps each line's time
    String log = "/api/v1/namespaces/default/pods/" + pod + "/log";
    io.daemonset.testing.Response badTime = api.call("GET", log + "?sinceTime=yesterday", api.adminToken(), null,
        null);
    assertThat(badTime.code()).isEqualTo(400);
    assertThat(badTime.json().path("kind").asText()).isEqualTo("Status");
    io.daemonset.testing.Response zero = api.call("GET", log + "?sinceSeconds=0", api.adminToken(), null, null);
    assertThat(zero.code()).isEqualTo(422);
    assertThat(zero.json().path("message").asText()).contains("sinceSeconds: Invalid value: 0: must be greater than 0");
    Kubectl.Result since = kubectl.run("logs", "--since=1h", pod);
    assertThat(since.exit()).isZero();
    assertThat(since.out()).startsWith("count 1\n");
    assertThat(since.err()).isEmpty();
    timesAreKeptPerLine(pod);

    try (Kubectl.Running follow = kubectl.start("logs", "-f", pod);
         Kubectl.Running tail = kubectl.start("logs", "-f", "--tail=1", pod)) {
      // Lines written after the follower started: more than the log held once both followers were running.
      int atStart = lastCount(kubectl.run("logs", pod).out());
      await("lines written after -f started").atMost(WAIT)
          .until(() -> lastCount(follow.out()) >= atStart + 5 && lastCount(tail.out()) >= atStart + 5);
      assertThat(follow.out()).startsWith("count 1\ncount 2\n");
      List<String> tailLines = tail.out().lines().toList();
      assertThat(tailLines.get(0)).matches("count \\d+");
      // consecutive lines: nothing skipped or repeated between the polls
      for (int i = 1; i < tailLines.size(); i++) {
        assertThat(lastCount(tailLines.get(i))).isEqualTo(lastCount(tailLines.get(i - 1)) + 1);
      }

      Kubectl.Result limited = kubectl.start("logs", "-f", "--limit-bytes=20", pod).awaitExit(30);
      assertThat(limited.exit()).as(limited.all()).isZero();
      assertThat(limited.out()).hasSize(20).startsWith("count 1\ncount 2\n");

      api.ok("DELETE", DS + "/counter", null, null);
      Kubectl.Result ended = follow.awaitExit(60);
      assertThat(ended.exit()).as(ended.all()).isZero();
      assertThat(tail.awaitExit(60).exit()).isZero();
    }
    await("the pod gone").atMost(WAIT).until(() -> api.pods("counter").isEmpty());
    Kubectl.Result gone = kubectl.run("logs", "-f", pod);
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.err()).contains("NotFound").contains(pod);
  }
}
