package io.daemonset.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.audit.AuditEntry;
import io.daemonset.audit.AuditTrail;
import io.daemonset.cluster.PostgresTestDatabase;
import io.daemonset.cluster.Store;
import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Pod page's story on PostgreSQL: read from the pod's DaemonSet and node alone (by persistence id), it is
 * exactly what the whole journal, replayed and filtered as the page did before, says of the pod, for every pod after
 * a converge and a rollout over three hollow nodes.
 */
class PodStoryPostgresTest {
  static final String DS_PATH = "/apis/apps/v1/namespaces/default/daemonsets/agent";

  @TempDir Path dir;
  private String schema;
  private ConsolePlane plane;

  @BeforeEach
  void start() throws Exception {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    plane = ConsolePlane.start(dir, Store.POSTGRES, PostgresTestDatabase.config(schema));
  }

  @AfterEach
  void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
    PostgresTestDatabase.dropSchema(schema);
  }

  @Test
  void aPodsStoryFromItsTwoEntitiesIsWhatTheWholeJournalSaysOfIt() throws Exception {
    plane.fleet("n", 3, "a", Duration.ofMillis(200));
    plane.apply(ConsoleBrowserTest.daemonSet("agent:1"));
    awaitRolledOut("agent:1", 3);
    plane.kubectl("set", "image", "daemonset/agent", "c=agent:2");
    awaitRolledOut("agent:2", 3);

    ObjectIndex index = plane.plane.view().index();
    JdbcReadJournal journal = plane.plane.member().readJournal();
    List<Pod> pods = index.list(ObjectIndex.PODS).stream().map(StoredObject::object).map(Pod.class::cast).toList();
    assertThat(pods).hasSize(3);
    for (Pod pod : pods) {
      Details.PodModel model = Details.pod(index, "default", pod.metadata().name()).orElseThrow();
      long cutBefore = plane.plane.view().resourceVersion();
      List<Details.StoryLine> story = Details.story(plane.plane.system(), journal, model).toCompletableFuture()
          .get(60, TimeUnit.SECONDS);

      // the hollow agents keep reporting: compare what both read up to a version the view had applied before
      long cut = cutBefore;
      assertThat(upTo(cut, story)).as(model.name()).isEqualTo(upTo(cut, fromTheWholeJournal(journal, model)));
      assertThat(story.stream().map(Details.StoryLine::event)).as(model.name())
          .contains("PodsScheduled", "PodAdmitted");
      assertThat(story.stream().map(Details.StoryLine::ordering).toList()).as("journal order").isSorted();
      assertThat(story).as("only this pod's node and DaemonSet").allSatisfy(line -> assertThat(line.entity())
          .isIn("DaemonSet default/agent", "Node " + model.node()));
    }
  }

  private static List<Details.StoryLine> upTo(long ordering, List<Details.StoryLine> story) {
    return story.stream().filter(line -> line.ordering() <= ordering).toList();
  }

  /** The story as the page read it before: the whole journal replayed, filtered to the pod's two entities. */
  private List<Details.StoryLine> fromTheWholeJournal(JdbcReadJournal journal, Details.PodModel pod) throws Exception {
    String quoted = "\"" + pod.name() + "\"";
    List<AuditEntry> entries = AuditTrail.replayEachAnswer(journal, 0L)
        .filter(e -> (e.entity().equals("DaemonSet " + pod.ownerKey()) || e.entity().equals("Node " + pod.node()))
            && e.detail().contains(quoted))
        .runWith(Sink.seq(), plane.plane.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return entries.stream().map(e -> new Details.StoryLine(e.ordering(), e.at() == null ? "" : e.at().toString(),
        e.entity(), e.event(), e.actor(), e.reason())).toList();
  }

  private void awaitRolledOut(String image, int nodes) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode ds = plane.api(DS_PATH);
      JsonNode status = ds.path("status");
      return status.path("observedGeneration").asLong() == ds.path("metadata").path("generation").asLong()
          && status.path("updatedNumberScheduled").asInt() == nodes && status.path("numberAvailable").asInt() == nodes
          && status.path("numberReady").asInt() == nodes && plane.api("/api/v1/pods").path("items").size() == nodes
          && ds.at("/spec/template/spec/containers/0/image").asText().equals(image);
    });
  }
}
