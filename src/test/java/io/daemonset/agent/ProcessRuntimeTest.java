package io.daemonset.agent;

import static io.daemonset.agent.TestPods.container;
import static io.daemonset.agent.TestPods.pod;
import static io.daemonset.agent.TestPods.shell;
import static io.daemonset.testing.Eventually.await;
import static io.daemonset.testing.Eventually.holdsFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.EnvVar;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import io.daemonset.model.Probe;
import io.daemonset.testing.TestLogging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime against real processes: start, logs, stop (TERM then KILL), restart backoff, adoption. */
class ProcessRuntimeTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path work;
  private final List<ProcessRuntime> runtimes = new ArrayList<>();
  /** A marker in every command line, so the test can find (and finally kill) every process it started. */
  private final String marker = "agent-test-" + UUID.randomUUID();

  @BeforeEach
  void quiet() {
    TestLogging.quiet();
  }

  @AfterEach
  void cleanUp() {
    runtimes.forEach(r -> r.close(true));
    ours().forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  private ProcessRuntime runtime(Duration backoffBase) {
    ProcessRuntime r = new ProcessRuntime(ProcessRuntime.Settings.defaults(work, "127.0.0.1")
        .withBackoff(backoffBase, backoffBase.multipliedBy(8)), Clock.systemUTC());
    runtimes.add(r);
    return r;
  }

  /** The processes started by this test still alive (sh carries the marker in its command line). */
  private List<ProcessHandle> ours() {
    return ProcessHandle.allProcesses()
        .filter(ProcessTree::alive)
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
        .toList();
  }

  private Container script(String name, String body) {
    return shell(name, ": " + marker + "; " + body);
  }

  private static ContainerStatus only(PodStatus status) {
    return status.containerStatuses().get(0);
  }

  @Test
  void runsTheCommandAppendsItsOutputToTheLogAndStopsTheWholeTreeWithSigterm() throws Exception {
    ProcessRuntime runtime = runtime(Duration.ofSeconds(10));
    Pod pod = pod("hello", script("main", "echo hi; echo oops >&2; sleep 30"));
    runtime.ensureRunning(pod);

    PodStatus status = await("Running", WAIT).until(() -> runtime.status(pod), s -> "Running".equals(s.phase()));
    assertThat(only(status).state().running()).isNotNull();
    assertThat(only(status).ready()).isTrue();
    assertThat(PodStatus.isReady(status)).isTrue();
    assertThat(status.hostIP()).isEqualTo("127.0.0.1");
    assertThat(only(status).containerID()).startsWith("process://");
    Path log = runtime.logFile("default", "hello", "main").orElseThrow();
    assertThat(log).isEqualTo(work.resolve("pods/default_hello/main.log"));
    await("both lines in the log", WAIT).until(() -> read(log).contains("hi\n") && read(log).contains("oops\n"));
    assertThat(work.resolve("pods/default_hello/main")).isDirectory();
    List<ProcessHandle> tree = ProcessTree.snapshot(ProcessHandle.of(pid(status)).orElseThrow()).stream().toList();
    assertThat(tree).hasSizeGreaterThanOrEqualTo(2);

    long t0 = System.nanoTime();
    runtime.stop("default/hello", Duration.ofSeconds(20)).get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(tree).noneMatch(ProcessTree::alive);
    assertThat(ours()).isEmpty();
    PodStatus stopped = await("terminated", WAIT).until(() -> runtime.status(pod), s -> only(s).state()
        .terminated() != null);
    assertThat(only(stopped).state().terminated().exitCode()).isEqualTo(143);
    assertThat(only(stopped).restartCount()).isZero();
    assertThat(PodStatus.isReady(stopped)).isFalse();
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledWhenTheGracePeriodEnds() throws Exception {
    ProcessRuntime runtime = runtime(Duration.ofSeconds(10));
    Pod pod = pod("stubborn", script("main", "trap '' TERM; echo trapped; while true; do sleep 0.1; done"));
    runtime.ensureRunning(pod);
    Path log = work.resolve("pods/default_stubborn/main.log");
    await("the trap is set", WAIT).until(() -> read(log).contains("trapped"));
    long pid = pid(runtime.status(pod));

    long t0 = System.nanoTime();
    var stopped = runtime.stop("default/stubborn", Duration.ofMillis(1500));
    holdsFor("still alive within the grace period", Duration.ofMillis(1000))
        .until(() -> ProcessHandle.of(pid).map(ProcessTree::alive).orElse(false));
    stopped.get(10, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(5));
    assertThat(ProcessHandle.of(pid).map(ProcessTree::alive).orElse(false)).isFalse();
    assertThat(ours()).isEmpty();
    PodStatus status = await("terminated", WAIT).until(() -> runtime.status(pod), s -> only(s).state()
        .terminated() != null);
    assertThat(only(status).state().terminated().exitCode()).isEqualTo(137);
  }

  @Test
  void anExitedContainerRestartsAtOnceThenAfterADoublingBackoff() {
    ProcessRuntime runtime = runtime(Duration.ofMillis(400));
    Pod pod = pod("crashy", script("main", "echo run; exit 3"));
    runtime.ensureRunning(pod);

    PodStatus looping = await("CrashLoopBackOff", WAIT).until(() -> runtime.status(pod), s -> only(s).state()
        .waiting() != null && "CrashLoopBackOff".equals(only(s).state().waiting().reason()));
    assertThat(only(looping).restartCount()).isGreaterThanOrEqualTo(1);
    assertThat(only(looping).state().waiting().message()).startsWith("back-off ").contains("container=main");
    assertThat(only(looping).lastState().terminated().exitCode()).isEqualTo(3);
    assertThat(only(looping).lastState().terminated().reason()).isEqualTo("Error");
    assertThat(looping.phase()).isEqualTo("Running");
    assertThat(PodStatus.isReady(looping)).isFalse();

    long t0 = System.nanoTime();
    await("4 restarts", WAIT).until(() -> only(runtime.status(pod)).restartCount() >= 4);
    // restarts 2, 3 and 4 wait 400, 800 and 1600 ms (less what has passed already)
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1500));
    // each run has its own log, and the last terminated run's is kept for --previous: it ran and wrote once
    Path previous = work.resolve("pods/default_crashy/main.previous.log");
    assertThat(read(previous).lines().filter("run"::equals).count()).isEqualTo(1);
  }

  @Test
  void restartPolicyNeverLeavesTheContainerDown() {
    ProcessRuntime runtime = runtime(Duration.ofMillis(100));
    Pod base = pod("once", script("main", "exit 0"));
    Pod pod = base.withSpec(base.spec().withRestartPolicy("Never"));
    runtime.ensureRunning(pod);
    PodStatus done = await("Succeeded", WAIT).until(() -> runtime.status(pod), s -> "Succeeded".equals(s.phase()));
    holdsFor("no restart over 4 back-off periods", Duration.ofMillis(400))
        .until(() -> only(runtime.status(pod)).restartCount() == 0);
    assertThat(only(done).state().terminated().reason()).isEqualTo("Completed");
  }

  @Test
  void aContainerWithOnlyAnImageIsReportedNotRunnableNeverRunning() {
    ProcessRuntime runtime = runtime(Duration.ofMillis(100));
    Pod pod = pod("nginx", Container.of("web", "nginx:1.27"));
    runtime.ensureRunning(pod);
    PodStatus status = await("a status", WAIT).until(() -> runtime.status(pod), s -> only(s).state().waiting() != null
        && !"ContainerCreating".equals(only(s).state().waiting().reason()));
    assertThat(only(status).state().waiting().reason()).isEqualTo("ImageNotRunnable");
    assertThat(only(status).state().waiting().message())
        .contains("runs a container's command as a host process").contains("nginx:1.27");
    assertThat(status.phase()).isEqualTo("Pending");
    assertThat(only(status).ready()).isFalse();
    assertThat(only(status).started()).isFalse();
    assertThat(PodStatus.isReady(status)).isFalse();
    holdsFor("no restart over 3 back-off periods", Duration.ofMillis(300))
        .until(() -> only(runtime.status(pod)).restartCount() == 0);
  }

  @Test
  void aCommandThatCannotStartIsAStartErrorInCrashLoop() {
    ProcessRuntime runtime = runtime(Duration.ofMillis(300));
    Pod pod = pod("missing", container("main", "/nonexistent/" + marker));
    runtime.ensureRunning(pod);
    PodStatus status = await("back-off", WAIT).until(() -> runtime.status(pod), s -> only(s).state().waiting() != null
        && "CrashLoopBackOff".equals(only(s).state().waiting().reason()));
    assertThat(only(status).lastState().terminated().reason()).isEqualTo("StartError");
    assertThat(only(status).lastState().terminated().exitCode()).isEqualTo(128);
  }

  @Test
  void envAndArgumentsAreExpandedAndTheDownwardApiFilled() {
    ProcessRuntime runtime = runtime(Duration.ofSeconds(10));
    Container base = shell("main", ": " + marker + "; echo \"$GREETING|$1|$NODE|$POD\" > out; sleep 30");
    Container c = new Container(base.name(), null, base.command(), List.of("x", "$(GREETING)-arg"), null,
        List.of(EnvVar.of("WHO", "world"), EnvVar.of("GREETING", "hello $(WHO) $$(WHO)"),
            new EnvVar("NODE", null, io.daemonset.model.Json.tree(java.util.Map.of("fieldRef",
                java.util.Map.of("fieldPath", "spec.nodeName")))),
            new EnvVar("POD", null, io.daemonset.model.Json.tree(java.util.Map.of("fieldRef",
                java.util.Map.of("fieldPath", "metadata.name"))))),
        null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    Pod pod = pod("env", c);
    runtime.ensureRunning(pod);
    Path out = work.resolve("pods/default_env/main/out");
    await("out", WAIT).until(() -> read(out).endsWith("\n"));
    assertThat(read(out)).isEqualTo("hello world $(WHO)|hello world $(WHO)-arg|node-1|env\n");
  }

  @Test
  void anExecReadinessProbeDecidesReady() {
    ProcessRuntime runtime = runtime(Duration.ofSeconds(10));
    Container c = TestPods.withReadiness(script("main", "sleep 1; touch ready; sleep 30"),
        TestPods.probe(Probe.exec(List.of("test", "-f", "ready")), 0, 1, 1, 1, 3));
    Pod pod = pod("probed", c);
    runtime.ensureRunning(pod);
    PodStatus running = await("Running", WAIT).until(() -> runtime.status(pod), s -> "Running".equals(s.phase()));
    assertThat(PodStatus.isReady(running)).isFalse();
    assertThat(only(running).ready()).isFalse();
    await("Ready", WAIT).until(() -> PodStatus.isReady(runtime.status(pod)));
  }

  @Test
  void aRestartedRuntimeAdoptsRunningProcessesAndStartsNothingTwice() throws Exception {
    ProcessRuntime first = runtime(Duration.ofSeconds(10));
    Pod pod = pod("long", script("main", "echo started; sleep 30"));
    first.ensureRunning(pod);
    PodStatus before = await("Running", WAIT).until(() -> first.status(pod), s -> "Running".equals(s.phase()));
    first.close(false);
    runtimes.remove(first);
    assertThat(ours()).hasSize(1);

    ProcessRuntime second = runtime(Duration.ofSeconds(10));
    assertThat(second.pods()).containsEntry("default/long", pod.metadata().uid());
    second.ensureRunning(pod);
    holdsFor("the adopted process kept, none started", Duration.ofMillis(300))
        .until(() -> ours().size() == 1 && only(second.status(pod)).containerID().equals(only(before).containerID()));
    PodStatus after = second.status(pod);
    assertThat(only(after).containerID()).isEqualTo(only(before).containerID());
    assertThat(only(after).state().running()).isNotNull();
    assertThat(only(after).restartCount()).isZero();
    assertThat(ours()).hasSize(1);
    assertThat(read(work.resolve("pods/default_long/main.log")).lines().filter("started"::equals)).hasSize(1);

    second.stop("default/long", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    assertThat(ours()).isEmpty();
    second.forget("default/long");
    assertThat(work.resolve("pods/default_long")).doesNotExist();
  }

  @Test
  void aLeftoverOfAPodNoLongerBoundIsStoppedNotRestarted() throws Exception {
    ProcessRuntime first = runtime(Duration.ofMillis(100));
    Pod pod = pod("leftover", script("main", "sleep 30"));
    first.ensureRunning(pod);
    await("Running", WAIT).until(() -> first.status(pod), s -> "Running".equals(s.phase()));
    first.close(false);
    runtimes.remove(first);

    ProcessRuntime second = runtime(Duration.ofMillis(100));
    assertThat(second.pods()).containsKey("default/leftover");
    second.stop("default/leftover", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    holdsFor("the leftover not restarted over 3 back-off periods", Duration.ofMillis(300))
        .until(() -> ours().isEmpty());
    second.forget("default/leftover");
    assertThat(second.pods()).isEmpty();
  }

  @Test
  void aProcessThatDiedWhileTheAgentWasDownIsRestartedOnceConfirmed() throws Exception {
    ProcessRuntime first = runtime(Duration.ofMillis(100));
    Pod pod = pod("died", script("main", "echo started; sleep 30"));
    first.ensureRunning(pod);
    PodStatus before = await("Running", WAIT).until(() -> first.status(pod), s -> "Running".equals(s.phase()));
    first.close(false);
    runtimes.remove(first);
    ProcessHandle.of(pid(before)).orElseThrow().destroyForcibly();
    await("the process gone", WAIT).until(() -> ours().isEmpty());

    ProcessRuntime second = runtime(Duration.ofMillis(100));
    PodStatus unknown = second.status(pod);
    assertThat(only(unknown).state().terminated().reason()).isEqualTo("ContainerStatusUnknown");
    holdsFor("nothing restarts before the pod is confirmed", Duration.ofMillis(300)).until(() -> ours().isEmpty());
    second.ensureRunning(pod);
    PodStatus after = await("Running again", WAIT).until(() -> second.status(pod), s -> only(s).state()
        .running() != null);
    assertThat(only(after).restartCount()).isEqualTo(1);
    assertThat(only(after).lastState().terminated().reason()).isEqualTo("ContainerStatusUnknown");
    assertThat(ours()).hasSize(1);
  }

  private static long pid(PodStatus status) {
    return Long.parseLong(only(status).containerID().substring("process://".length()));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
