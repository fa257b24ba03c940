package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;
import io.daemonset.testing.JarProcess;
import io.daemonset.testing.Kubectl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's fault tests, on three real JVMs from the built jar, started with flags only and one shared data
 * directory, on PostgreSQL behind a proxy the test can cut, 100 hollow nodes, and the persistence replay filter in
 * fail mode (two writers on one entity would fail its recovery). In one run, each phase on the state the previous
 * left:
 * <ol>
 *   <li>one kubeconfig drives every member; /ready, /cluster/members and /metrics answer on the management ports;</li>
 *   <li>SIGKILL of the member hosting the DaemonSet in the middle of a rollout: the rollout finishes on the
 *       survivors; the time from the kill to the first rollout step seen afterwards is printed;</li>
 *   <li>PostgreSQL unreachable for 15 s in the middle of a rollout: writes answer 504/503 within the request
 *       timeout, reads keep answering, the rollout finishes after, no accepted write is lost;</li>
 *   <li>a rolling upgrade: each member in turn stopped and started as the next release (this build with another
 *       {@code DS_APP_VERSION}), writes going on through the others: none answered is lost, no pod replaced. With
 *       {@code -Ddaemonset.previous.jar=PATH} (the last release's jar) the members run that jar until the upgrade
 *       replaces them by this build, so the upgrade is between two real builds; without it (CI) every phase runs
 *       this build;</li>
 *   <li>all members restarted: every object back, no pod replaced.</li>
 * </ol>
 * Throughout, a watch on pods checks on every event that no node ever has two live pods of the DaemonSet
 * (maxSurge 0).
 * <p>On a failure the members' logs are printed; {@code -Ddaemonset.it.keep-schema=true} also keeps the PostgreSQL
 * schema (its name is printed) for reading the journal, and a full restart that replaced pods prints what the
 * DaemonSet did (its events, each deletion with its reason).
 * <p>Runs in {@code .ci/run} (about 4-6 minutes on an idle 2-core machine, 6 at load 25); every line it prints starts with
 * {@code [ClusterFaultsIT]}, and .ci/run repeats those lines at the end of its log.
 */
class ClusterFaultsIT {
  static final int NODES = 100;
  /** Every line this test prints starts so: {@code grep -F "[ClusterFaultsIT]"} finds its timings in a CI log. */
  static final String LOG = "[ClusterFaultsIT] ";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  Path data;
  String schema;
  TcpProxy database;
  final JarProcess[] members = new JarProcess[3];
  final int[] clusterPorts = new int[3];
  final int[] apiPorts = new int[3];
  final int[] managementPorts = new int[3];
  final ExecutorService http = Executors.newFixedThreadPool(4);
  final List<String> violations = new CopyOnWriteArrayList<>();
  /** pod name → [node, deleting?, image] as the watch last showed it. */
  final Map<String, String[]> pods = new ConcurrentHashMap<>();
  final AtomicLong lastStepAt = new AtomicLong();
  /** The first step counted since last reset to 0. */
  final AtomicLong firstStepAt = new AtomicLong();
  /** A step counts only when the server's timestamp of it (creation, or deletion requested) is after this second. */
  final AtomicLong stepsAfterEpochSecond = new AtomicLong();
  final java.util.concurrent.atomic.AtomicReference<String> lastResourceVersion = new java.util.concurrent.atomic.AtomicReference<>("");
  volatile boolean watching = true;
  /** The DaemonSet under test: named so that it lives on member 1 or 2 ({@link #nameHostedAwayFromMember0}). */
  String name;

  @BeforeEach
  void cluster() throws IOException {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    Matcher db = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)").matcher(PostgresTestDatabase.URL);
    assertThat(db.matches()).as("DS_TEST_DB_URL " + PostgresTestDatabase.URL).isTrue();
    database = new TcpProxy(db.group(1), Integer.parseInt(db.group(2)));
    data = work.resolve("shared-data");
    for (int i = 0; i < 3; i++) {
      clusterPorts[i] = JarProcess.freePort();
      apiPorts[i] = JarProcess.freePort();
      managementPorts[i] = JarProcess.freePort();
    }
  }

  volatile boolean passed;

  @AfterEach
  void stop() throws Exception {
    if (!passed) {
      for (int i = 0; i < 3; i++) {
        Path log = work.resolve("member-" + i + ".log");
        if (Files.exists(log)) {
          List<String> lines = Files.readAllLines(log).stream()
              .filter(l -> !l.startsWith("\t") && !l.contains("HealthChecksImpl") && !l.contains("dead letters")).toList();
          // With the prefix, so that .ci/run repeats the tails at the very end of its log, where a reader of a
          // truncated CI log still finds them.
          int member = i;
          String alive = members[i] == null ? "not started" : members[i].alive() ? "running" : "exited";
          System.out.println(LOG + "---- member " + i + " (" + alive + ") log tail ----");
          lines.subList(Math.max(0, lines.size() - 40), lines.size())
              .forEach(line -> System.out.println(LOG + "member " + member + ": " + line));
        }
      }
    }
    for (JarProcess p : members) {
      if (p != null) {
        p.kill();
      }
    }
    http.shutdownNow();
    database.close();
    if (!passed && Boolean.getBoolean("daemonset.it.keep-schema")) {
      System.out.println(LOG + "schema kept for inspection: " + schema);
      return;
    }
    PostgresTestDatabase.dropSchema(schema);
  }

  @Test
  void theClusterSurvivesAKilledMemberADatabaseOutageAndAFullRestart() throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      members[i] = startMember(i);
    }
    awaitReady(0, 1, 2);
    phase("3 members ready", started);
    for (int i = 0; i < 3; i++) {
      int member = i;
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> kubectl(member, "get", "nodes", "-o", "name").out().lines().count() == NODES);
    }
    assertThat(get(0, "/cluster/members")).contains("\"status\":\"Up\"").contains(":" + clusterPorts[2]);
    phase("one kubeconfig lists the " + NODES + " nodes on every member", started);

    name = nameHostedAwayFromMember0();
    Path ds = work.resolve("ds.yaml");
    apply(ds, "agent:1");
    awaitRolledOut(Duration.ofMinutes(3));
    watchPods();
    phase("agent:1 on every node", started);

    String metrics = get(0, "/metrics") + get(1, "/metrics") + get(2, "/metrics");
    for (String family : List.of("apiserver_request_total", "apiserver_request_duration_seconds_bucket",
        "daemonset_reconcile_duration_seconds_bucket", "daemonset_reconcile_batch_size", "daemonset_pods_placed_total",
        "daemonset_persist_duration_seconds_bucket", "daemonset_journal_events_total", "daemonset_view_lag_seconds",
        "daemonset_shards", "daemonset_entities", "jvm_memory_used_bytes", "process_cpu_usage")) {
      assertThat(metrics).as(family).contains(family);
    }
    double placedBefore = sum(metrics, "daemonset_pods_placed_total");
    assertThat(placedBefore).isGreaterThanOrEqualTo(NODES);

    // ---- SIGKILL of the member hosting the DaemonSet, mid-rollout ----
    int host = hostOf("default/" + name);
    assertThat(host).as("the DaemonSet lives away from member 0 (the hollow fleet and the watch)").isNotZero();
    int observer = host == 0 ? 1 : 0;
    apply(ds, "agent:2");
    await().atMost(Duration.ofMinutes(1)).until(() -> imageCount("agent:2") >= 1);
    long killedAt = System.nanoTime();
    lastStepAt.set(0);
    // Count only steps the server stamped after the kill (a second's precision): steps the killed member made just
    // before arrive late when its last, unfinished transaction leaves a gap in the journal's ordering (the view
    // waits up to 5 s for a gap to fill), and were counted as the survivors' first step 5 s after the kill.
    // One second more: a deletion the DaemonSet asked for just before the kill may be stamped by a survivor's node
    // entity a moment after it; no survivor can decide anything within 2 s of the kill.
    stepsAfterEpochSecond.set(java.time.Instant.now().getEpochSecond() + 1);
    members[host].kill();
    long countFrom = killedAt;
    Membership seen = new Membership(":" + clusterPorts[host]);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
      seen.sample(observer);
      return lastStepAt.get() > countFrom;
    });
    System.out.printf(LOG + "FAILOVER: member %d (hosting default/%s) killed; the survivors saw it unreachable after"
        + " %s, removed it after %s; first rollout step on a survivor after %.1f s (target <= 20 s)%n", host, name,
        seen.since(seen.unreachableAt, killedAt), seen.since(seen.removedAt, killedAt), (lastStepAt.get() - killedAt) / 1e9);
    awaitRolledOut(observer, Duration.ofMinutes(4));
    assertThat(imageCount("agent:2")).isEqualTo(NODES);
    phase("rollout finished after the kill", started);
    members[host] = startMember(host);
    awaitReady(host);
    phase("killed member back", started);

    // ---- PostgreSQL unreachable for 15 s, mid-rollout ----
    kubectl(0, "label", "ds/" + name, "accepted=before-outage");
    apply(ds, "agent:3");
    await().atMost(Duration.ofMinutes(1)).until(() -> imageCount("agent:3") >= 1);
    database.cut();
    long cutAt = System.nanoTime();
    Result write = kubectl(0, "annotate", "ds/" + name, "during-outage=refused", "--overwrite");
    Result read = kubectl(0, "get", "ds", name, "-o", "name");
    System.out.printf(LOG + "OUTAGE: write answered in %.1f s: %s; read answered in %.1f s%n", write.seconds(),
        write.out().replace('\n', ' '), read.seconds());
    assertThat(write.exitCode()).isNotZero();
    assertThat(write.out()).containsAnyOf("Timeout", "ServiceUnavailable", "timed out", "unavailable");
    assertThat(write.seconds()).isLessThan(30);
    assertThat(read.exitCode()).isZero();
    assertThat(read.out()).contains("daemonset.apps/" + name);
    await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - cutAt >= TimeUnit.SECONDS.toNanos(15));
    stepsAfterEpochSecond.set(java.time.Instant.now().getEpochSecond());
    firstStepAt.set(0);
    database.restore();
    long restoredAt = System.nanoTime();
    awaitRolledOut(Duration.ofMinutes(4));
    long resumedAt = firstStepAt.get();
    System.out.printf(LOG + "OUTAGE: database unreachable for %.1f s; the rollout's first step %s after it came back,"
            + " the rollout finished %.1f s after it came back%n", (restoredAt - cutAt) / 1e9,
        resumedAt == 0 ? "(not seen)" : String.format("%.1f s", (resumedAt - restoredAt) / 1e9),
        (System.nanoTime() - restoredAt) / 1e9);
    assertThat(imageCount("agent:3")).isEqualTo(NODES);
    assertThat(kubectl(0, "get", "ds", name, "-o", "jsonpath={.metadata.labels.accepted}").out())
        .isEqualTo("before-outage");
    Result after = kubectl(1, "annotate", "ds/" + name, "after-outage=accepted", "--overwrite");
    assertThat(after.exitCode()).as(after.out()).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(get(i, "/alive")).as("member %d alive without a restart", i).isNotNull();
    }
    phase("rollout finished after a 15 s database outage", started);
    String metricsAfter = get(0, "/metrics") + get(1, "/metrics") + get(2, "/metrics");
    assertThat(sum(metricsAfter, "daemonset_pods_placed_total")).isGreaterThan(0);
    assertThat(sum(metricsAfter, "apiserver_request_total")).isGreaterThan(0);

    // ---- rolling upgrade: each member in turn stopped (SIGTERM) and started as the next release ----
    Map<String, String> before = podNodes();
    watching = false;
    rollingUpgrade(before, started);

    // ---- every member restarted (SIGTERM: the graceful shutdown logs no error), back to this build's version ----
    long[] logSizes = new long[3];
    for (int i = 0; i < 3; i++) {
      logSizes[i] = Files.size(work.resolve("member-" + i + ".log"));
      members[i].terminate();
    }
    for (JarProcess p : members) {
      assertThat(p.awaitExit(Duration.ofSeconds(90))).isTrue();
    }
    for (int i = 0; i < 3; i++) {
      String stopping = Files.readString(work.resolve("member-" + i + ".log")).substring((int) logSizes[i]);
      assertThat(stopping).as("member %d stopping", i).doesNotContain(" ERROR ").contains("stopping: not ready");
    }
    for (int i = 0; i < 3; i++) {
      members[i] = startMember(i);
    }
    awaitReady(0, 1, 2);
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> kubectl(0, "get", "nodes", "-o", "name").out().lines().count() == NODES);
    awaitRolledOut(Duration.ofMinutes(3));
    Map<String, String> afterRestart = podNodes();
    if (!afterRestart.equals(before)) {
      printWhatTheDaemonSetDid();
    }
    assertThat(afterRestart).isEqualTo(before);
    assertThat(kubectl(2, "get", "ds", name, "-o", "jsonpath={.metadata.annotations.after-outage}").out())
        .isEqualTo("accepted");
    phase("all members restarted, every pod kept", started);
    // The audit trail came through the kill, the outage, the upgrade and the restart: no row missing, edited or
    // unsealed below a signed watermark (the newest rows may still wait for the sealer: not damage).
    String verify = auditVerify();
    System.out.println(LOG + "AUDIT: " + verify.lines().findFirst().orElse(""));
    assertThat(verify).startsWith("OK: ");
    printHeartbeatDelays();
    assertThat(violations).isEmpty();
    passed = true;
  }

  /**
   * Replaces the members one at a time, as an operator upgrades the control plane: SIGTERM, then this build's jar
   * started with {@code DS_APP_VERSION} {@link #NEXT_VERSION} (newer than any build's, so sharding moves the shards to
   * the replaced members). The members it replaces run {@link #PREVIOUS_JAR}: a change of code and event format
   * between two real builds when it is given, else only the hand-over between versions as sharding sees them. Meanwhile a writer
   * annotates the DaemonSet through the members that are up, one write a second. Afterwards: every write that was
   * answered is there, no pod was replaced, the fleet is whole.
   */
  private void rollingUpgrade(Map<String, String> before, long started) throws Exception {
    List<String> accepted = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger away = new java.util.concurrent.atomic.AtomicInteger(-1);
    // The member the writer last chose knowing which was away: a member is stopped only once the writer knows it.
    java.util.concurrent.atomic.AtomicInteger knownAway = new java.util.concurrent.atomic.AtomicInteger(-1);
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int n = 0; writing.get(); n++) {
        int skip = away.get();
        knownAway.set(skip);
        int via = (Math.max(skip, 0) + 1 + n % 2) % 3;
        long at = System.nanoTime();
        Result r = kubectl(via, "annotate", "ds/" + name, "upgrade-write-" + n + "=member-" + via, "--overwrite");
        (r.exitCode() == 0 ? accepted : refused).add("upgrade-write-" + n + " via " + via + ": " + r.out());
        await().atMost(Duration.ofSeconds(2)).until(() -> System.nanoTime() - at >= TimeUnit.SECONDS.toNanos(1));
      }
    }, "upgrade-writer");
    writer.setDaemon(true);
    writer.start();
    System.out.printf(LOG + "UPGRADE: from %s to this build (%s)%n", PREVIOUS_JAR.equals(JarProcess.JAR)
        ? "this build (no -Ddaemonset.previous.jar)" : PREVIOUS_JAR, JarProcess.JAR);
    for (int i = 0; i < 3; i++) {
      int stopping = i;
      away.set(i);
      // its write in flight (if any) through this member ends first: a client behind a load balancer would not
      // be sent to a member that is leaving (run 10 counted one such write as refused)
      await().atMost(Duration.ofMinutes(1)).until(() -> knownAway.get() == stopping);
      members[i].terminate();
      assertThat(members[i].awaitExit(Duration.ofSeconds(90))).isTrue();
      members[i] = startMember(JarProcess.JAR, i, NEXT_VERSION);
      awaitReady(i);
      phase("member " + i + " replaced by " + NEXT_VERSION, started);
    }
    away.set(-1);
    memberJar = JarProcess.JAR;
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> kubectl(0, "get", "nodes", "-o", "name").out().lines().count() == NODES);
    awaitRolledOut(Duration.ofMinutes(3));
    writing.set(false);
    writer.join(Duration.ofSeconds(60).toMillis());
    String annotations = kubectl(1, "get", "ds", name, "-o", "jsonpath={.metadata.annotations}").out();
    List<String> lost = accepted.stream().map(w -> w.substring(0, w.indexOf(' ')))
        .filter(key -> !annotations.contains("\"" + key + "\"")).toList();
    System.out.printf(LOG + "UPGRADE: 3 members replaced one at a time; %d writes answered, %d refused%s, %d lost%n",
        accepted.size(), refused.size(), refused.isEmpty() ? "" : " " + refused, lost.size());
    assertThat(lost).as("writes answered during the upgrade and missing after it").isEmpty();
    assertThat(accepted).hasSizeGreaterThan(refused.size());
    assertThat(podNodes()).as("no pod replaced").isEqualTo(before);
    phase("rolling upgrade done: every answered write kept, every pod kept", started);
  }

  // ---- the cluster ----

  /** The app-version the rolling upgrade starts members with; this build's is its jar's Implementation-Version. */
  static final String NEXT_VERSION = "99.0.0";
  /**
   * The release the cluster runs before the upgrade: {@code -Ddaemonset.previous.jar} (a jar built from the last
   * release's commit), else this build's jar, which then stands in for both releases.
   */
  static final Path PREVIOUS_JAR = java.util.Optional.ofNullable(System.getProperty("daemonset.previous.jar"))
      .filter(p -> !p.isBlank()).map(Path::of).orElse(JarProcess.JAR);
  /** What startMember starts: the previous release until the upgrade, this build after it. */
  Path memberJar = PREVIOUS_JAR;

  private JarProcess startMember(int i) {
    return startMember(memberJar, i, null);
  }

  /** Member i, its output appended to member-i.log (a restart adds to the same log); appVersion null: the jar's. */
  private JarProcess startMember(Path jar, int i, String appVersion) {
    List<String> args = new ArrayList<>(List.of("serve", "--data-dir", data.toString(),
        "--db-url", PostgresTestDatabase.URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + database.port() + "/"),
        "--db-user", PostgresTestDatabase.USER, "--db-password", PostgresTestDatabase.PASSWORD,
        "--api-port", String.valueOf(apiPorts[i]), "--cluster-port", String.valueOf(clusterPorts[i]),
        "--management-port", String.valueOf(managementPorts[i]),
        "--seed-nodes", "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1]));
    if (i == 0) {
      args.addAll(List.of("--hollow-nodes", String.valueOf(NODES), "--hollow-ready-delay", "500ms"));
    }
    // Production's failure detector (acceptable-heartbeat-pause 3 s) and split-brain resolver, so that the printed
    // failover time is the one an operator gets; the heartbeat delays the members logged are printed at the end.
    // C1 only and the serial collector: three JVMs warming up at once on two cores (a full restart starts them
    // together) otherwise spend the cores compiling and collecting in parallel threads and delay their heartbeats.
    return JarProcess.start(jar, work.resolve("member-" + i + ".log"),
        List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), appVersion == null
            ? Map.of("DS_DB_SCHEMA", schema, "DS_REPLAY_FILTER_MODE", "fail")
            : Map.of("DS_DB_SCHEMA", schema, "DS_REPLAY_FILTER_MODE", "fail", "DS_APP_VERSION", appVersion), args);
  }

  private void awaitReady(int... which) {
    for (int i : which) {
      // A member that exited ends the wait at once, with its log (rather than 4 minutes of connection refused).
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsMatching(
              e -> !(e instanceof io.daemonset.testing.Eventually.GiveUp))
          .until(() -> {
            members[i].assertAlive();
            return status(i, "/ready") == 200;
          });
    }
  }

  /** Which member hosts an entity: the one whose DaemonSet region lists the entity's shard. */
  private int hostOf(String entityId) throws Exception {
    String shard = String.valueOf(shardOf(entityId));
    for (int attempt = 0; attempt < 60; attempt++) {
      for (int i = 0; i < 3; i++) {
        JsonNode regions = JSON.readTree(get(i, "/cluster/shards/DaemonSet")).path("regions");
        for (JsonNode region : regions) {
          if (region.path("shardId").asText().equals(shard)) {
            return i;
          }
        }
      }
      await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    }
    throw new AssertionError("no member hosts shard " + shard);
  }

  /**
   * A DaemonSet name whose entity lives on member 1 or 2. Member 0 runs the hollow fleet and serves the watch: were
   * the DaemonSet there, killing its host would take its nodes' agents down with it. A shard is placed when first
   * used, on the member with the fewest, so probe DaemonSets that select no node (no pod) are created until one lands
   * away from member 0; the DaemonSet under test then takes a name in that probe's shard (the default extractor:
   * |hashCode % 100| of "namespace/name"), so it lives beside the probe. The probes stay (they have no pods).
   */
  private String nameHostedAwayFromMember0() throws Exception {
    for (int probe = 1; probe <= 6; probe++) {
      Path file = work.resolve("probe-" + probe + ".yaml");
      Files.writeString(file, """
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: probe-%d}
          spec:
            selector: {matchLabels: {app: probe-%d}}
            template:
              metadata: {labels: {app: probe-%d}}
              spec:
                nodeSelector: {no-such-label: "true"}
                containers: [{name: probe, image: probe}]
          """.formatted(probe, probe, probe));
      Result r = kubectl(0, "apply", "-f", file.toString());
      assertThat(r.exitCode()).as(r.out()).isEqualTo(0);
      String probeId = "default/probe-" + probe;
      if (hostOf(probeId) != 0) {
        int shard = shardOf(probeId);
        for (int k = 1; ; k++) {
          if (shardOf("default/agent-" + k) == shard) {
            return "agent-" + k;
          }
        }
      }
    }
    throw new AssertionError("six probe DaemonSets all landed on member 0");
  }

  private static int shardOf(String entityId) {
    return Math.abs(entityId.hashCode() % 100);
  }

  private String get(int member, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newBuilder().executor(http).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts[member] + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  private int status(int member, String path) throws Exception {
    return HttpClient.newBuilder().executor(http).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts[member] + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** When a survivor's /cluster/members first showed the killed member unreachable, then no longer listed it. */
  final class Membership {
    final String address;
    long unreachableAt;
    long removedAt;

    Membership(String addressSuffix) {
      this.address = addressSuffix;
    }

    void sample(int member) {
      if (removedAt != 0) {
        return;
      }
      try {
        JsonNode members = JSON.readTree(get(member, "/cluster/members"));
        long now = System.nanoTime();
        if (unreachableAt == 0 && listed(members.path("unreachable"))) {
          unreachableAt = now;
        }
        if (!listed(members.path("members"))) {
          removedAt = now;
        }
      } catch (Exception e) {
        // a slow answer: the next sample will tell
      }
    }

    private boolean listed(JsonNode nodes) {
      for (JsonNode node : nodes) {
        if (node.path("node").asText().endsWith(address)) {
          return true;
        }
      }
      return false;
    }

    String since(long at, long start) {
      return at == 0 ? "(not seen)" : String.format("%.1f s", (at - start) / 1e9);
    }
  }

  // ---- the DaemonSet and its pods ----

  private void apply(Path file, String image) throws IOException {
    Files.writeString(file, """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: %s}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10, maxSurge: 0}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: agent, image: "%s"}]
        """.formatted(name, image));
    Result r = kubectl(0, "apply", "-f", file.toString());
    assertThat(r.exitCode()).as(r.out()).isZero();
  }

  private void awaitRolledOut(Duration timeout) {
    awaitRolledOut(0, timeout);
  }

  private void awaitRolledOut(int member, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofSeconds(1))
        .until(() -> kubectl(member, "rollout", "status", "ds/" + name, "--timeout=5s").out()
            .contains("successfully rolled out"));
  }

  /** For a failure's diagnosis: the DaemonSet's status, revisions and events (each with the reason it acted). */
  private void printWhatTheDaemonSetDid() {
    System.out.println(LOG + "DaemonSet status: " + kubectl(0, "get", "ds", name, "-o", "jsonpath={.status}").out());
    System.out.println(LOG + "revisions:\n" + kubectl(0, "get", "controllerrevisions", "-o",
        "custom-columns=NAME:.metadata.name,REVISION:.revision,HASH:.metadata.labels.controller-revision-hash").out());
    System.out.println(LOG + "events:\n" + kubectl(0, "get", "events", "--field-selector",
        "involvedObject.name=" + name, "-o", "custom-columns=TIME:.lastTimestamp,REASON:.reason,MESSAGE:.message").out());
  }

  private long imageCount(String image) {
    return pods.values().stream().filter(p -> p[1].isEmpty() && p[2].equals(image)).count();
  }

  /** {@code audit verify} on the members' schema and audit key, as an auditor runs it; its output. */
  private String auditVerify() {
    java.io.StringWriter out = new java.io.StringWriter();
    AuditCommand command = new AuditCommand();
    command.quietLogging = false; // it would turn this JVM's logging down
    picocli.CommandLine cl = new picocli.CommandLine(command);
    cl.setOut(new java.io.PrintWriter(out));
    cl.setErr(new java.io.PrintWriter(out));
    cl.execute("verify", "--data-dir", data.toString(), "--db-url", PostgresTestDatabase.URL, "--db-user",
        PostgresTestDatabase.USER, "--db-password", PostgresTestDatabase.PASSWORD, "--db-schema", schema);
    return out.toString();
  }

  private Map<String, String> podNodes() {
    Map<String, String> byName = new HashMap<>();
    kubectl(0, "get", "pods", "-l", "app=agent", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}").out().lines()
        .map(l -> l.trim().split(" ")).filter(p -> p.length == 2).forEach(p -> byName.put(p[0], p[1]));
    return byName;
  }

  /**
   * Watches the DaemonSet's pods on member 0 (never killed before the full restart) and checks, on every event,
   * that no node has two live pods; notes the time of each rollout step (a pod created or marked for deletion).
   */
  private void watchPods() throws Exception {
    String token = TokenFile.loadOrCreate(data).tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    HttpClient client = HttpClient.newBuilder().executor(http)
        .sslContext(Pki.clientSslContext(data.resolve(Pki.CA_CRT))).build();
    Thread watcher = new Thread(() -> {
      while (watching) {
        String from = lastResourceVersion.get();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + apiPorts[0]
                + "/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dagent"
                + (from.isEmpty() ? "" : "&resourceVersion=" + from)))
            .header("Authorization", "Bearer " + token).build();
        try {
          client.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(this::onPodEvent);
        } catch (IOException | java.io.UncheckedIOException e) {
          // a watch stream may end or break (a chunked stream cut mid-way): resume from the last resourceVersion
          // seen, as client-go's reflector does; the server replays every change after it (its window is 75 s)
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }, "pod-watch");
    watcher.setDaemon(true);
    watcher.start();
    await().atMost(Duration.ofMinutes(1)).until(() -> pods.size() >= NODES);
  }

  private void onPodEvent(String line) {
    try {
      JsonNode event = JSON.readTree(line);
      if (!List.of("ADDED", "MODIFIED", "DELETED").contains(event.path("type").asText())) {
        return;
      }
      JsonNode pod = event.path("object");
      String name = pod.at("/metadata/name").asText();
      lastResourceVersion.set(pod.at("/metadata/resourceVersion").asText());
      String[] before = pods.get(name);
      boolean deleting = !pod.at("/metadata/deletionTimestamp").isMissingNode()
          && !pod.at("/metadata/deletionTimestamp").isNull();
      if (event.path("type").asText().equals("DELETED")) {
        pods.remove(name);
      } else {
        pods.put(name, new String[] {pod.at("/spec/nodeName").asText(), deleting ? "deleting" : "",
            pod.at("/spec/containers/0/image").asText()});
      }
      if (before == null && !event.path("type").asText().equals("DELETED")
          && stampedAfter(pod.at("/metadata/creationTimestamp").asText(), 0)
          || before != null && before[1].isEmpty() && deleting
          && stampedAfter(pod.at("/metadata/deletionTimestamp").asText(),
              pod.at("/metadata/deletionGracePeriodSeconds").asLong())) {
        long now = System.nanoTime();
        lastStepAt.set(now);
        firstStepAt.compareAndSet(0, now);
      }
      Map<String, Integer> live = new HashMap<>();
      pods.values().stream().filter(p -> p[1].isEmpty()).forEach(p -> live.merge(p[0], 1, Integer::sum));
      live.forEach((node, count) -> {
        if (count > 1) {
          violations.add(node + " has " + count + " live pods after " + event.path("type").asText() + " " + name);
        }
      });
    } catch (IOException e) {
      violations.add("unreadable watch event: " + line);
    }
  }

  /** Whether a server timestamp (minus the grace a deletionTimestamp adds) is later than stepsAfterEpochSecond. */
  private boolean stampedAfter(String timestamp, long graceSeconds) {
    try {
      return java.time.Instant.parse(timestamp).getEpochSecond() - graceSeconds > stepsAfterEpochSecond.get();
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  // ---- tools ----

  record Result(int exitCode, String out, double seconds) {}

  /** kubectl with the one kubeconfig of the shared data dir, against the given member. */
  private Result kubectl(int member, String... args) {
    List<String> command = new ArrayList<>(List.of("--server", "https://127.0.0.1:" + apiPorts[member],
        "--request-timeout=40s"));
    command.addAll(Arrays.asList(args));
    long start = System.nanoTime();
    Kubectl.Result r = new Kubectl(data.resolve("kubeconfig"), work.resolve("kubectl")).run(command.toArray(String[]::new));
    return new Result(r.exit(), r.all().trim(), (System.nanoTime() - start) / 1e9);
  }

  private static double sum(String metrics, String family) {
    return metrics.lines().filter(l -> l.startsWith(family + "{") || l.startsWith(family + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** How often, and by how much at most, each member's heartbeats were late (a starved JVM risks being downed). */
  private void printHeartbeatDelays() throws IOException {
    Pattern delayed = Pattern.compile("Previous heartbeat was sent \\[(\\d+)\\] ms ago");
    for (int i = 0; i < 3; i++) {
      List<Long> delays = new ArrayList<>();
      for (String line : Files.readAllLines(work.resolve("member-" + i + ".log"))) {
        Matcher m = delayed.matcher(line);
        if (m.find()) {
          delays.add(Long.parseLong(m.group(1)));
        }
      }
      System.out.printf(LOG + "member %d: %d late heartbeats, the longest gap %d ms%n", i,
          delays.size(), delays.stream().mapToLong(Long::longValue).max().orElse(0));
    }
  }

  private static void phase(String what, long since) {
    System.out.printf(LOG + "PHASE %6.1f s  %s%n", (System.nanoTime() - since) / 1e9, what);
  }
}
