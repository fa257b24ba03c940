package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.audit.ArchiveFile;
import io.daemonset.audit.ChainDigest;
import io.daemonset.audit.ChainTables;
import io.daemonset.audit.JournalDatabase;
import io.daemonset.audit.JournalRow;
import io.daemonset.audit.JournalRows;
import io.daemonset.model.Json;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a new golden journal for {@code GoldenJournalTest}: the audit scenario (create, label change, rollout,
 * rollback, orphan delete, a node lost) on a fresh H2 journal, every audited row as written, and the objects the
 * live view showed at the end. Run only on purpose, when the event format changes, with a NEW name:
 *
 * <pre>mvn -o test -Dtest=GoldenJournalWriter -Dgolden.write=journal-v2</pre>
 *
 * then add the name to {@code GoldenJournalTest.FIXTURES}. It refuses to overwrite a fixture: old ones stay and
 * keep being replayed.
 */
@EnabledIfSystemProperty(named = "golden.write", matches = "[a-z0-9-]+")
class GoldenJournalWriter {
  static final Path DIR = Path.of("src/test/resources/io/daemonset/audit/golden");

  @TempDir Path dataDir;

  @Test
  void writeGoldenJournal() throws Exception {
    String name = System.getProperty("golden.write");
    Path journalFile = DIR.resolve(name + ".jsonl");
    Path stateFile = DIR.resolve(name + ".state.json");
    assertThat(journalFile).as("fixtures are never overwritten").doesNotExist();
    assertThat(stateFile).doesNotExist();
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(dataDir)
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of());
    List<JsonNode> live;
    try (ControlPlane plane = ControlPlane.start(settings, Clock.systemUTC())) {
      plane.member().awaitMemberUp(Duration.ofSeconds(60));
      try (InProcessAgents agents = new InProcessAgents(plane)) {
        new AuditScenarioContract.Scenario().run(plane, false);
      }
      JournalDatabase db = JournalDatabases.of(plane.member().config());
      List<JsonNode>[] seen = new List[1];
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        long before = plane.view().resourceVersion();
        seen[0] = AuditScenarioContract.objects(plane.view().index());
        return before == plane.view().resourceVersion() && before == AuditScenarioContract.maxAuditedOrdering(db);
      });
      live = seen[0];
      Files.createDirectories(DIR);
      try (Writer out = Files.newBufferedWriter(journalFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
        ChainDigest.Format format;
        try (java.sql.Connection c = db.open()) {
          format = ChainTables.format(c);
        }
        ArchiveFile.writeHeader(out, Instant.now(), "golden journal " + name + ": AuditScenarioContract.Scenario",
            format);
        Map<String, String> previous = new HashMap<>();
        new JournalRows(db).forEach(row -> write(out, row, previous, format));
      }
    }
    Files.writeString(stateFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(live) + "\n",
        StandardOpenOption.CREATE_NEW);
  }

  private static void write(Writer out, JournalRow row, Map<String, String> previous, ChainDigest.Format format)
      throws Exception {
    if (!row.isAudited()) {
      return;
    }
    String digest = ChainDigest.chained(format, previous.getOrDefault(row.persistenceId(), ChainDigest.GENESIS), row);
    previous.put(row.persistenceId(), digest);
    ArchiveFile.writeRow(out, row, digest);
  }
}
