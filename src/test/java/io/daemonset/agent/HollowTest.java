package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.agent.HollowBehavior.Fate;
import io.daemonset.model.Container;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hollow runtime: fates by pod-name hash and node labels, and the statuses it reports. */
class HollowTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @ParameterizedTest(name = "never-ready {0}, fail {1}")
  @CsvSource({"0, 0", "0.1, 0", "0, 0.05", "0.25, 0.25", "0.5, 0.5", "1, 0", "0, 1"})
  void fractionsOfPodNamesMeetEachFateDeterministically(double neverReady, double fail) {
    HollowBehavior behavior = new HollowBehavior(Duration.ZERO, neverReady, fail, null, null);
    int n = 20_000;
    Map<Fate, Integer> counts = new EnumMap<>(Fate.class);
    for (int i = 0; i < n; i++) {
      // names as a DaemonSet makes them: <ds>-<5 random chars>
      String name = "fluentd-" + Integer.toString(i * 7919 + 12345, 36);
      Fate fate = behavior.fate(name, Map.of());
      assertThat(behavior.fate(name, Map.of())).isEqualTo(fate);
      counts.merge(fate, 1, Integer::sum);
    }
    assertThat(counts.getOrDefault(Fate.NEVER_READY, 0) / (double) n).isCloseTo(neverReady, within());
    assertThat(counts.getOrDefault(Fate.FAIL, 0) / (double) n).isCloseTo(fail, within());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.015);
  }

  @Test
  void nodeSelectorsSingleOutNodes() {
    HollowBehavior behavior = new HollowBehavior(Duration.ZERO, 0, 0, HollowBehavior.nodeSelector("zone=b"),
        HollowBehavior.nodeSelector("broken"));
    assertThat(behavior.fate("p", Map.of("zone", "a"))).isEqualTo(Fate.READY);
    assertThat(behavior.fate("p", Map.of("zone", "b"))).isEqualTo(Fate.NEVER_READY);
    assertThat(behavior.fate("p", Map.of("zone", "b", "broken", "yes"))).isEqualTo(Fate.FAIL);
    assertThat(HollowBehavior.nodeSelector(" ")).isNull();
  }

  @Test
  void invalidFractionsAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HollowBehavior(Duration.ZERO, 0.7, 0.6, null, null))
        .hasMessageContaining("more than 1");
  }

  private HollowRuntime runtime(HollowBehavior behavior, List<String> changes) {
    HollowRuntime runtime = new HollowRuntime(behavior, Map.of(), "10.0.0.7", scheduler, Clock.systemUTC());
    runtime.onChange(changes::add);
    return runtime;
  }

  private static Pod pod(String name) {
    return TestPods.pod(name, Container.of("app", "nginx:1.27"), Container.of("sidecar", "busybox"));
  }

  private static String nameWithFate(HollowBehavior behavior, Fate fate) {
    for (int i = 0; ; i++) {
      if (behavior.fate("p-" + i, Map.of()) == fate) {
        return "p-" + i;
      }
    }
  }

  @Test
  void aPodBecomesRunningAndReadyAfterTheDelay() {
    List<String> changes = new CopyOnWriteArrayList<>();
    HollowRuntime runtime = runtime(HollowBehavior.allReady(Duration.ofMillis(300)), changes);
    Pod pod = pod("web");
    runtime.ensureRunning(pod);
    PodStatus creating = runtime.status(pod);
    assertThat(creating.phase()).isEqualTo("Pending");
    assertThat(creating.containerStatuses()).allSatisfy(c ->
        assertThat(c.state().waiting().reason()).isEqualTo("ContainerCreating"));
    await("a change", Duration.ofSeconds(5)).until(() -> changes.contains("default/web"));
    PodStatus ready = runtime.status(pod);
    assertThat(ready.phase()).isEqualTo("Running");
    assertThat(PodStatus.isReady(ready)).isTrue();
    assertThat(ready.podIP()).isEqualTo("10.0.0.7");
    assertThat(ready.containerStatuses()).allSatisfy(c -> {
      assertThat(c.ready()).isTrue();
      assertThat(c.containerID()).startsWith("hollow://");
    });
    runtime.ensureRunning(pod);
    assertThat(runtime.status(pod).containerStatuses()).isEqualTo(ready.containerStatuses());
    runtime.stop("default/web", Duration.ofSeconds(30)).join();
    assertThat(runtime.status(pod).containerStatuses()).allSatisfy(c ->
        assertThat(c.state().terminated().reason()).isEqualTo("Completed"));
    runtime.forget("default/web");
    assertThat(runtime.pods()).isEmpty();
  }

  @Test
  void aRestartedFleetTakesOverARunningPodAsItWasReported() {
    List<String> changes = new CopyOnWriteArrayList<>();
    HollowRuntime before = runtime(HollowBehavior.allReady(Duration.ZERO), changes);
    Pod pod = pod("web");
    before.ensureRunning(pod);
    PodStatus reported = io.daemonset.model.Json.convert(io.daemonset.model.Json.tree(before.status(pod)),
        PodStatus.class);

    HollowRuntime after = runtime(HollowBehavior.allReady(Duration.ofSeconds(30)), changes);
    Pod known = pod.withStatus(reported);
    after.ensureRunning(known);
    PodStatus now = io.daemonset.model.Json.convert(io.daemonset.model.Json.tree(after.status(known)),
        PodStatus.class);
    assertThat(now.phase()).isEqualTo("Running");
    assertThat(now.containerStatuses()).isEqualTo(reported.containerStatuses());
    assertThat(now.startTime()).isEqualTo(reported.startTime());
  }

  /** A mutable set of ConfigMaps, as the API would answer them. */
  static final class Objects implements PodConfig.Lookup {
    final Map<String, Map<String, byte[]>> configMaps = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Optional<Map<String, byte[]>> configMap(String namespace, String name) {
      return java.util.Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }

    @Override
    public java.util.Optional<Map<String, byte[]>> secret(String namespace, String name) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Issue 13, item 4: a hollow pod that references a missing ConfigMap (here through a volume and an optional
   * secret key, which does not count) waits with CreateContainerConfigError, in the process runtime's words, and
   * starts once it exists; its init container completes at once.
   */
  @Test
  void aPodWaitsForTheConfigMapItReferencesAndStartsWhenItAppears() {
    List<String> changes = new CopyOnWriteArrayList<>();
    HollowRuntime runtime = runtime(HollowBehavior.allReady(Duration.ZERO), changes);
    Objects objects = new Objects();
    runtime.useConfigFrom(objects);
    Pod pod = io.daemonset.model.Json.read("""
        {"metadata":{"name":"shipper","namespace":"logging","uid":"u-1"},
         "spec":{"nodeName":"node-1","restartPolicy":"Always",
           "volumes":[{"name":"conf","configMap":{"name":"shipper-config"}}],
           "initContainers":[{"name":"init","image":"busybox"}],
           "containers":[{"name":"app","image":"fluent-bit","volumeMounts":[{"name":"conf","mountPath":"/etc/app"}],
             "env":[{"name":"KEY","valueFrom":{"secretKeyRef":{"name":"nope","key":"k","optional":true}}}]}]}}
        """, Pod.class);
    runtime.ensureRunning(pod);
    await("the reason", Duration.ofSeconds(5)).until(() -> changes.contains("logging/shipper"));
    PodStatus waiting = runtime.status(pod);
    assertThat(waiting.phase()).isEqualTo("Pending");
    assertThat(waiting.initContainerStatuses().get(0).state().waiting().reason())
        .isEqualTo("CreateContainerConfigError");
    assertThat(waiting.initContainerStatuses().get(0).state().waiting().message())
        .isEqualTo(PodConfig.missingReference(pod, pod.spec().containers().get(0), objects).orElseThrow())
        .isEqualTo("configmap \"shipper-config\" not found");
    assertThat(waiting.containerStatuses().get(0).state().waiting().reason()).isEqualTo("PodInitializing");

    objects.configMaps.put("logging/shipper-config", Map.of("fluent-bit.conf", new byte[0]));
    await("running once the ConfigMap exists", Duration.ofSeconds(10))
        .until(() -> "Running".equals(runtime.status(pod).phase()));
    PodStatus running = runtime.status(pod);
    assertThat(PodStatus.isReady(running)).isTrue();
    assertThat(running.initContainerStatuses().get(0).state().terminated().exitCode()).isZero();
    assertThat(running.conditions()).anySatisfy(c -> {
      assertThat(c.type()).isEqualTo("Initialized");
      assertThat(c.status()).isEqualTo("True");
    });
  }

  @Test
  void neverReadyAndFailingPods() {
    HollowBehavior behavior = new HollowBehavior(Duration.ZERO, 0.3, 0.3, null, null);
    HollowRuntime runtime = runtime(behavior, new CopyOnWriteArrayList<>());
    Pod neverReady = pod(nameWithFate(behavior, Fate.NEVER_READY));
    Pod failing = pod(nameWithFate(behavior, Fate.FAIL));
    runtime.ensureRunning(neverReady);
    runtime.ensureRunning(failing);

    PodStatus running = runtime.status(neverReady);
    assertThat(running.phase()).isEqualTo("Running");
    assertThat(PodStatus.isReady(running)).isFalse();
    assertThat(running.containerStatuses()).allSatisfy(c -> assertThat(c.state().running()).isNotNull());

    PodStatus failed = runtime.status(failing);
    assertThat(failed.phase()).isEqualTo("Failed");
    assertThat(failed.reason()).isEqualTo("HollowFailure");
    assertThat(PodStatus.isReady(failed)).isFalse();
    assertThat(failed.containerStatuses()).allSatisfy(c -> assertThat(c.state().terminated().exitCode()).isEqualTo(1));
  }
}
