package io.daemonset.cluster;

import static io.daemonset.cluster.ControllerScenarioContract.alice;
import static io.daemonset.cluster.ControllerScenarioContract.awaitPods;
import static io.daemonset.cluster.ControllerScenarioContract.awaitRolledOut;
import static io.daemonset.cluster.ControllerScenarioContract.create;
import static io.daemonset.cluster.ControllerScenarioContract.delete;
import static io.daemonset.cluster.ControllerScenarioContract.podsNamed;
import static io.daemonset.cluster.ControllerScenarioContract.register;
import static io.daemonset.cluster.ControllerScenarioContract.update;
import static io.daemonset.cluster.Fixtures.daemonSet;
import static io.daemonset.cluster.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonset.audit.AuditKey;
import io.daemonset.audit.EventCodec;
import io.daemonset.audit.JournalDatabase;
import io.daemonset.audit.Verifier;
import io.daemonset.audit.VerifyReport;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.node.NodeEntity;
import io.daemonset.testing.Eventually;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * The audit's acceptance scenario on a real single-member cluster and a real journal database: create, label
 * changes, a rollout, a rollback, a node lost, an orphan delete, a delete; then every question answered by the
 * {@code audit} command from the database alone (the cluster stopped), the state rebuilt at an instant compared
 * with the live state captured then, and rows tampered with until {@code audit verify} names each damage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AuditScenarioContract {
  static final ObjectMapper JSON = Json.mapper();

  /** A single-member cluster on the database under test; the same database on every call. */
  abstract Settings settings();

  /** The flags that point {@code audit} at that database. */
  abstract List<String> databaseFlags();

  record Run(int status, String out, String err) {}

  Run audit(String... args) {
    AuditCommand command = new AuditCommand();
    command.quietLogging = false;
    CommandLine cl = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    cl.setParameterExceptionHandler((e, rest) -> AuditCommand.oneLine(e));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(databaseFlags());
    int status = cl.execute(all.toArray(String[]::new));
    return new Run(status, out.toString(), err.toString());
  }

  JsonNode json(Run run) throws Exception {
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    return JSON.readTree(run.out());
  }

  JournalDatabase database() {
    return JournalDatabases.of(ControlPlaneConfig.load(settings()));
  }

  Settings auditSettings() {
    return settings().withExtraConfig("""
        daemonset.audit.seal-interval = 100ms
        daemonset.audit.checkpoint-interval = 300ms
        """);
  }

  Scenario s;

  /** The scenario runs once per database; each question is then a test of its own, tampering last. */
  @BeforeAll
  void runTheScenario() throws Exception {
    s = new Scenario();
    try (ControlPlane plane = ControlPlane.start(auditSettings(), java.time.Clock.systemUTC())) {
      plane.member().awaitMemberUp(Duration.ofSeconds(30));
      try (InProcessAgents agents = new InProcessAgents(plane)) {
        s.run(plane);
      }
      // Everything sealed and signed before the cluster stops: the acceptance is about a settled journal.
      try (EventCodec codec = EventCodec.of(plane.system())) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          VerifyReport r = new Verifier(database(), codec, key()).verify();
          return r.ok() && r.unsealed() == 0 && r.uncheckpointed() == 0;
        });
      }
    }
  }

  @Test
  @Order(1)
  void history() throws Exception {
    assertHistory(s);
  }

  @Test
  @Order(2)
  void podLife() throws Exception {
    assertPodLife(s);
  }

  @Test
  @Order(3)
  void nodeLife() throws Exception {
    assertNodeLife(s);
  }

  @Test
  @Order(4)
  void stateAtAnInstantEqualsTheLiveStateCapturedThen() throws Exception {
    assertStateAt(s);
  }

  @Test
  @Order(5)
  void export() throws Exception {
    assertExport();
  }

  @Test
  @Order(6)
  void badInputIsOneLineAndStatus2() {
    assertBadInput();
  }

  @Test
  @Order(8)
  void archiveThenPruneKeepsTheChainVerifiable() throws Exception {
    java.nio.file.Path file = settingsDataDir().resolve("archive-" + System.nanoTime() + ".jsonl");
    Run archive = audit("archive", "--until", "0s", "--out", file.toString(), "--prune");
    assertThat(archive.status()).as(archive.err()).isZero();
    assertThat(archive.out()).startsWith("archived ").contains("; pruned");
    // kept (deleted, its pods orphaned) and n2 (removed) are gone; n1 and n3 are not
    assertThat(lastSeq("DaemonSet|default/kept")).isZero();
    assertThat(lastSeq("Node|n2")).isZero();
    assertThat(lastSeq("Node|n1")).isPositive();
    assertThat(tagsWithoutTheirEvent()).as("the pruned events' tags are deleted with them").isZero();
    Run verify = audit("verify");
    assertThat(verify.status()).as(verify.out()).isZero();
    Run check = audit("archive", "--check", file.toString());
    assertThat(check.status()).as(check.out()).isZero();
    assertThat(check.out()).startsWith("OK: ");
    // the archive is the journal as written: its rows replay like the database's
    String line = java.nio.file.Files.readAllLines(file).stream().filter(l -> l.contains("\"Node|n2\""))
        .findFirst().orElseThrow();
    assertThat(JSON.readTree(line).get("sequenceNr").asLong()).isEqualTo(1);
    // an archived row edited in the file is named
    java.nio.file.Path edited = file.resolveSibling("edited-" + file.getFileName());
    java.nio.file.Files.writeString(edited, java.nio.file.Files.readString(file).replace(line,
        line.replace("\"payload\":\"", "\"payload\":\"AAAA")));
    Run damaged = audit("archive", "--check", edited.toString());
    assertThat(damaged.status()).isEqualTo(1);
    assertThat(damaged.out()).contains("Node|n2 #1: edited");
  }

  @Test
  @Order(10)
  void verifyNamesEveryDamage() throws Exception {
    assertVerifyNamesDamage();
  }

  AuditKey key() throws Exception {
    return AuditKey.find(null, settingsDataDir().resolve(AuditKey.FILE_NAME)).orElseThrow();
  }

  java.nio.file.Path settingsDataDir() {
    return StoreConfig.dataDir(ControlPlaneConfig.load(settings()));
  }

  /** What the scenario did and saw, for the assertions. */
  static final class Scenario {
    String podOnN3;
    String podOnN2;
    Instant afterLabelChange;
    List<JsonNode> liveAfterLabelChange;
    List<String> keptPods;

    void run(ControlPlane plane) throws Exception {
      run(plane, true);
    }

    /** @param deleteLogs end with deleting the logs DaemonSet (the golden journal keeps it, with its revisions) */
    void run(ControlPlane plane, boolean deleteLogs) throws Exception {
      long start = System.nanoTime();
      for (String n : List.of("n1", "n2", "n3")) {
        // the first asks may time out while sharding starts on a loaded machine; registering again is a no-op
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
            .until(() -> {
              register(plane, node(n, Map.of("disk", "ssd"), null));
              return true;
            });
      }
      DaemonSet v1 = daemonSet("logs", "fluentd:1", Map.of("disk", "ssd"),
          new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0)));
      create(plane, v1);
      awaitRolledOut(plane, "logs", 3);
      podOnN3 = podOn(plane, "logs", "n3");

      // label change: n3 is no longer an ssd node, its pod goes
      update(plane, node("n3", Map.of("disk", "hdd"), null));
      awaitRolledOut(plane, "logs", 2);
      Eventually.await("n3's pod gone", ControllerScenarioContract.WAIT).until(() -> podsNamed(plane, podOnN3)
          .isEmpty());
      captureLiveState(plane);

      // a rollout, then a rollback to the first template
      update(plane, Fixtures.withImage(v1, "fluentd:2"));
      Eventually.await("rolled out fluentd:2", ControllerScenarioContract.WAIT).until(() -> images(plane)
          .equals(List.of("fluentd:2")));
      awaitRolledOut(plane, "logs", 2);
      update(plane, v1);
      Eventually.await("rolled back", ControllerScenarioContract.WAIT).until(() -> images(plane)
          .equals(List.of("fluentd:1")));
      awaitRolledOut(plane, "logs", 2);
      podOnN2 = podOn(plane, "logs", "n2");

      // an orphan delete: kept's pods stay without an owner
      create(plane, daemonSet("kept", "k:1", null, null));
      awaitPods(plane, "kept", 3);
      keptPods = ControllerScenarioContract.podNames(plane, "kept");
      delete(plane, "kept", "Orphan");
      Eventually.await("kept's pods orphaned", ControllerScenarioContract.WAIT).until(() -> podsNamed(plane, "kept-")
          .stream()
          .allMatch(p -> p.metadata().ownerReferences() == null));

      // a node lost: n2 is removed, its pods go with it
      var removed = plane.store().node("n2", r -> new NodeEntity.Remove(alice("node lost: hardware failure"), r))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(removed.isOk()).isTrue();
      Eventually.await("n2's pods gone", ControllerScenarioContract.WAIT).until(() -> plane.view().index()
          .list(ObjectIndex.PODS).stream()
          .noneMatch(o -> "n2".equals(((Pod) o.object()).spec().nodeName())));

      if (!deleteLogs) {
        return;
      }
      // a delete
      delete(plane, "logs", "Background");
      Eventually.await("logs deleted", ControllerScenarioContract.WAIT).until(() -> podsNamed(plane, "logs-").isEmpty()
          && plane.view().index().get(ObjectIndex.DAEMONSETS, "default", "logs").isEmpty());
      System.out.println("audit scenario ran in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** The view's objects at an instant when the journal holds nothing the view has not applied. */
    private void captureLiveState(ControlPlane plane) throws Exception {
      JournalDatabase db = JournalDatabases.of(plane.member().config());
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        long before = plane.view().resourceVersion();
        List<JsonNode> live = objects(plane.view().index());
        Instant at = Instant.now();
        if (before != plane.view().resourceVersion() || before != maxAuditedOrdering(db)) {
          return false;
        }
        liveAfterLabelChange = live;
        afterLabelChange = at;
        return true;
      });
    }

    private static List<String> images(ControlPlane plane) {
      return ControllerScenarioContract.images(plane, "logs");
    }

    private static String podOn(ControlPlane plane, String ds, String node) {
      return ControllerScenarioContract.livePods(plane, ds).stream().filter(p -> node.equals(p.spec().nodeName()))
          .map(p -> p.metadata().name()).findFirst().orElseThrow();
    }
  }

  static long maxAuditedOrdering(JournalDatabase db) throws Exception {
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COALESCE(MAX(\"ordering\"), 0) FROM \"event_journal\" WHERE \"persistence_id\" NOT LIKE '/%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static List<JsonNode> objects(ObjectIndex index) {
    List<JsonNode> out = new ArrayList<>();
    for (String resource : List.of(ObjectIndex.NODES, ObjectIndex.DAEMONSETS, ObjectIndex.REVISIONS,
        ObjectIndex.PODS)) {
      index.list(resource).stream().sorted(Comparator.comparing(StoredObject::key))
          .forEach(o -> out.add(asParsed(o.object())));
    }
    return out;
  }

  /** The object as its JSON text reads back (numbers as parsed, not as the record's Java types). */
  static JsonNode asParsed(Object object) {
    try {
      return JSON.readTree(Json.write(object));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- the questions -----------------------------------------------------------------------------

  void assertHistory(Scenario s) throws Exception {
    JsonNode history = json(audit("history", "daemonset/logs", "-o", "json"));
    List<String> events = new ArrayList<>();
    history.get("items").forEach(i -> events.add(i.get("event").asText()));
    assertThat(events.get(0)).isEqualTo("DaemonSetCreated");
    // after the deletion only the pods of the deleted incarnation are accounted for
    assertThat(events).filteredOn("DaemonSetDeleted"::equals).hasSize(1);
    assertThat(events.subList(events.indexOf("DaemonSetDeleted") + 1, events.size())).allMatch(e -> e.equals("PodGone")
        || e.equals("PodObserved") || e.equals("PodsAnswered"));
    assertThat(events.indexOf("DeletionStarted")).isLessThan(events.indexOf("DaemonSetDeleted"));
    assertThat(events).filteredOn("DaemonSetUpdated"::equals).hasSize(2);
    JsonNode created = history.get("items").get(0);
    assertThat(created.get("actor").asText()).isEqualTo("alice");
    assertThat(created.get("reason").asText()).isEqualTo("kubectl create");
    assertThat(created.get("sequenceNr").asLong()).isEqualTo(1);
    // the label change: which pod, which node, why, triggered by what
    JsonNode labelDeletion = only(history, i -> i.get("event").asText().equals("PodsDeletionRequested")
        && i.get("nodes").toString().equals("[\"n3\"]"));
    assertThat(labelDeletion.get("actor").asText()).isEqualTo("daemonset-controller");
    assertThat(labelDeletion.get("reason").asText()).contains(s.podOnN3 + " on node n3")
        .contains("trigger: node n3: label disk");
    // the rollback renumbers the first revision
    JsonNode rollback = only(history, i -> i.get("event").asText().equals("RevisionRecorded")
        && i.get("reason").asText().contains("rollback"));
    assertThat(rollback.get("changes").get(0).get("resource").asText()).isEqualTo("controllerrevisions");
    assertThat(rollback.get("changes").get(0).get("type").asText()).isEqualTo("MODIFIED");
    assertThat(rollback.get("changes").get(0).get("fields").toString()).contains("\"path\":\"revision\"")
        .contains("\"from\":1").contains("\"to\":3");
    // the image changes are named field by field
    JsonNode rollout = history.get("items").get(events.indexOf("DaemonSetUpdated"));
    assertThat(rollout.get("changes").get(0).get("fields").toString())
        .contains("spec.template.spec.containers").contains("fluentd:2");

    Run human = audit("history", "ds/logs", "--since", "1h");
    assertThat(human.status()).isZero();
    assertThat(human.out().lines().findFirst().orElseThrow()).startsWith("TIME").contains("AGE").contains("WHO")
        .contains("WHY");
    assertThat(human.out()).contains(" ago ").contains("DaemonSetCreated").contains("alice");
    assertThat(audit("history", "ds/logs", "--until", "2000-01-01T00:00:00Z").out().lines().count())
        .as("only the header").isEqualTo(1);
  }

  void assertPodLife(Scenario s) throws Exception {
    JsonNode life = json(audit("pod", s.podOnN3, "-o", "json")).get("value");
    List<String> what = new ArrayList<>();
    life.get("milestones").forEach(m -> what.add(m.get("what").asText()));
    assertThat(what).containsExactly("decided", "admitted", "started", "ready", "deletion decided", "terminating",
        "deleted");
    JsonNode decided = life.get("milestones").get(0);
    assertThat(decided.get("actor").asText()).isEqualTo("daemonset-controller");
    assertThat(decided.get("node").asText()).isEqualTo("n3");
    assertThat(decided.get("entity").asText()).isEqualTo("DaemonSet default/logs");
    JsonNode started = life.get("milestones").get(2);
    assertThat(started.get("actor").asText()).isEqualTo("system:node:n3");
    assertThat(started.get("reason").asText()).isEqualTo("containers started");
    JsonNode deletion = life.get("milestones").get(4);
    assertThat(deletion.get("reason").asText()).contains("trigger: node n3: label disk");

    JsonNode lost = json(audit("pod", s.podOnN2, "-o", "json")).get("value");
    JsonNode last = lost.get("milestones").get(lost.get("milestones").size() - 1);
    assertThat(last.get("what").asText()).as(lost.toPrettyString()).isEqualTo("deleted");
    assertThat(last.get("actor").asText()).isEqualTo("alice");
    assertThat(last.get("reason").asText()).isEqualTo("node lost: hardware failure");
  }

  void assertNodeLife(Scenario s) throws Exception {
    JsonNode life = json(audit("node", "n2", "-o", "json")).get("value");
    Instant lost = Instant.parse(only(life, "nodeEvents", e -> e.get("event").asText().equals("NodeRemoved"))
        .get("at").asText());
    // The pods n2 ran before it was lost: the first, one per rollout step (fluentd:2, then fluentd:1 again), kept's.
    List<JsonNode> ran = new ArrayList<>();
    life.get("pods").forEach(p -> {
      if (Instant.parse(p.get("came").asText()).isBefore(lost)) {
        ran.add(p);
      }
    });
    assertThat(ran).as(life.toPrettyString()).hasSize(4);
    List<String> logsRevisions = ran.stream().filter(p -> p.get("daemonSet").asText().equals("logs"))
        .map(p -> p.get("revision").asText()).toList();
    assertThat(logsRevisions).hasSize(3);
    assertThat(logsRevisions.get(0)).isEqualTo(logsRevisions.get(2)).isNotEqualTo(logsRevisions.get(1));
    assertThat(ran.get(2).get("pod").asText()).isEqualTo(s.podOnN2);
    assertThat(ran).allSatisfy(p -> assertThat(p.get("went")).as("every pod left n2").isNotNull());
    assertThat(ran.get(0).get("whyWent").asText()).contains("ROLLING_UPDATE").contains("revision "
        + logsRevisions.get(1));
    assertThat(ran.get(1).get("whyWent").asText()).contains("ROLLING_UPDATE").contains("revision "
        + logsRevisions.get(0));
    assertThat(ran.get(1).get("whyCame").asText()).isEqualTo("create 1 pod on node n2: NODE_NEEDS_POD (no daemon pod"
        + " on the node)");
    JsonNode kept = ran.get(3);
    assertThat(s.keptPods).contains(kept.get("pod").asText());
    assertThat(kept.get("daemonSet").asText()).isEqualTo("kept");
    assertThat(kept.get("whoWent").asText()).isEqualTo("alice");
    assertThat(kept.get("whyWent").asText()).isEqualTo("node lost: hardware failure");
    assertThat(ran.get(2).get("whyWent").asText()).isEqualTo("node lost: hardware failure");
    List<String> nodeEvents = new ArrayList<>();
    life.get("nodeEvents").forEach(e -> nodeEvents.add(e.get("event").asText()));
    assertThat(nodeEvents).containsExactly("NodeRegistered", "NodeRemoved");

    Run human = audit("node", "n2");
    assertThat(human.out()).contains("Pods placed on n2").contains("CAME").contains("WENT");
  }

  void assertStateAt(Scenario s) throws Exception {
    JsonNode all = json(audit("at", s.afterLabelChange.toString(), "--all", "-o", "json"));
    List<JsonNode> replayed = new ArrayList<>();
    all.get("items").forEach(replayed::add);
    assertThat(replayed).as("the state rebuilt at the instant equals the live state captured then")
        .containsExactlyElementsOf(s.liveAfterLabelChange);
    Run yaml = audit("at", s.afterLabelChange.toString(), "daemonset/logs");
    assertThat(yaml.status()).isZero();
    assertThat(yaml.out()).startsWith("apiVersion: apps/v1\nkind: DaemonSet\n").contains("image: fluentd:1");
    assertThat(yaml.err()).isEmpty();
    Run before = audit("at", "2000-01-01T00:00:00Z", "daemonset/logs");
    assertThat(before.status()).isEqualTo(2);
    assertThat(before.err().trim()).isEqualTo("error: daemonsets \"logs\" did not exist at 2000-01-01T00:00:00Z");
  }

  void assertExport() throws Exception {
    Run export = audit("export");
    assertThat(export.status()).isZero();
    List<String> lines = export.out().lines().toList();
    assertThat(lines).hasSizeGreaterThan(20);
    long previous = 0;
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.get("apiVersion").asText()).isEqualTo("audit.daemonset.io/v1");
      assertThat(event.get("kind").asText()).isEqualTo("AuditEvent");
      assertThat(event.get("ordering").asLong()).isGreaterThan(previous);
      previous = event.get("ordering").asLong();
    }
    assertThat(previous).isEqualTo(maxAuditedOrdering(database()));
  }

  void assertVerifyNamesDamage() throws Exception {
    Run clean = audit("verify");
    assertThat(clean.status()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).startsWith("OK: ").contains("signatures checked");

    String pid = "Node|n1";
    byte[] original = payload(pid, 1);
    // a payload edited by hand
    setPayload(pid, 1, new String(original, java.nio.charset.StandardCharsets.UTF_8).replace("alice", "mallory")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Run edited = audit("verify");
    assertThat(edited.status()).isEqualTo(1);
    assertThat(edited.out()).contains("DAMAGED").containsPattern("Node\\|n1\\s+1\\s+edited");

    // the same edit with the chain table rewritten to match: only the signed checkpoint catches it
    rewriteChain(pid);
    Run rewritten = audit("verify", "-o", "json");
    assertThat(rewritten.status()).isEqualTo(1);
    JsonNode damages = JSON.readTree(rewritten.out()).get("value").get("damages");
    assertThat(damages).isNotEmpty();
    assertThat(damages.get(0).get("persistenceId").asText()).isEqualTo(pid);
    assertThat(damages.get(0).get("kind").asText()).isEqualTo("rewritten");
    setPayload(pid, 1, original);
    rewriteChain(pid);
    assertThat(audit("verify").status()).as("restored").isZero();

    // a row deleted from the middle
    execute("DELETE FROM \"event_journal\" WHERE \"persistence_id\" = 'Node|n1' AND \"sequence_number\" = 2");
    Run missing = audit("verify");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.out()).containsPattern("Node\\|n1\\s+2\\s+missing");
    // an event of an archived entity put back before its cut
    execute("INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"deleted\", \"writer\","
        + " \"write_timestamp\", \"adapter_manifest\", \"event_ser_id\", \"event_ser_manifest\", \"event_payload\")"
        + " SELECT 'Node|n2', 1, \"deleted\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_ser_id\","
        + " \"event_ser_manifest\", \"event_payload\" FROM \"event_journal\" WHERE \"persistence_id\" = 'Node|n3'"
        + " AND \"sequence_number\" = 1");
    assertThat(audit("verify").out()).containsPattern("Node\\|n2\\s+1\\s+inserted");

    // the tail truncated, chain rows too
    long last = lastSeq("Node|n3");
    execute("DELETE FROM \"event_journal\" WHERE \"persistence_id\" = 'Node|n3' AND \"sequence_number\" = " + last);
    execute("DELETE FROM \"audit_chain\" WHERE \"persistence_id\" = 'Node|n3' AND \"sequence_number\" = " + last);
    Run truncated = audit("verify");
    assertThat(truncated.out()).containsPattern("Node\\|n3\\s+" + last + "\\s+truncated");
  }

  void assertBadInput() {
    for (String[] args : List.of(new String[] {"history", "widget/x"}, new String[] {"history", "ds/logs", "--since",
        "yesterday"}, new String[] {"at", "not-a-time", "--all"}, new String[] {"pod", "x", "-o", "xml"},
        new String[] {"history"})) {
      Run run = audit(args);
      assertThat(run.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).startsWith("error: ");
      assertThat(run.out()).isEmpty();
    }
  }

  // ---- tampering -----------------------------------------------------------------------------------

  byte[] payload(String pid, long seq) throws Exception {
    try (Connection c = database().open(); PreparedStatement s = c.prepareStatement("SELECT \"event_payload\" FROM"
        + " \"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
      s.setString(1, pid);
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  void setPayload(String pid, long seq, byte[] payload) throws Exception {
    try (Connection c = database().open(); PreparedStatement s = c.prepareStatement("UPDATE \"event_journal\" SET"
        + " \"event_payload\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
      s.setBytes(1, payload);
      s.setString(2, pid);
      s.setLong(3, seq);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /** What an attacker without the key can do: recompute the entity's whole chain to match the journal. */
  void rewriteChain(String pid) throws Exception {
    List<io.daemonset.audit.JournalRow> rows = new ArrayList<>();
    new io.daemonset.audit.JournalRows(database()).forEachOf(pid, rows::add);
    try (Connection c = database().open(); PreparedStatement s = c.prepareStatement("UPDATE \"audit_chain\" SET"
        + " \"payload_digest\" = ?, \"digest\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
      var format = io.daemonset.audit.ChainTables.format(c);
      String previous = io.daemonset.audit.ChainDigest.GENESIS;
      for (var row : rows) {
        var digests = io.daemonset.audit.ChainDigest.of(format, previous, row);
        previous = digests.chained();
        s.setString(1, digests.payload());
        s.setString(2, previous);
        s.setString(3, pid);
        s.setLong(4, row.sequenceNr());
        s.executeUpdate();
      }
    }
  }

  long lastSeq(String pid) throws Exception {
    try (Connection c = database().open(); PreparedStatement s = c.prepareStatement(
        "SELECT MAX(\"sequence_number\") FROM \"event_journal\" WHERE \"persistence_id\" = ?")) {
      s.setString(1, pid);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Tag rows whose journal row is gone (on PostgreSQL no foreign key deletes them by cascade). */
  long tagsWithoutTheirEvent() throws Exception {
    try (Connection c = database().open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT COUNT(*) FROM \"event_tag\" t WHERE NOT EXISTS (SELECT 1 FROM \"event_journal\" j"
            + " WHERE j.\"ordering\" = t.\"event_id\")")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void execute(String sql) throws Exception {
    try (Connection c = database().open(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate(sql)).as(sql).isEqualTo(1);
    }
  }

  static JsonNode only(JsonNode doc, java.util.function.Predicate<JsonNode> which) {
    return only(doc, "items", which);
  }

  static JsonNode only(JsonNode doc, String field, java.util.function.Predicate<JsonNode> which) {
    List<JsonNode> found = new ArrayList<>();
    doc.get(field).forEach(i -> {
      if (which.test(i)) {
        found.add(i);
      }
    });
    assertThat(found).as(field + " matching in " + doc).hasSize(1);
    return found.get(0);
  }
}
