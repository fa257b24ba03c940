package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events are for ever: every golden journal under {@code src/test/resources/io/daemonset/audit/golden/} (rows as a
 * past release wrote them) must still deserialize with today's serializers and migrations and rebuild, through
 * today's event handlers, exactly the state that release saw. A change that breaks one adds a Jackson migration;
 * it never edits or regenerates a fixture. A new fixture for a new event format is written by
 * {@code GoldenJournalWriter} (see docs/audit.md).
 */
class GoldenJournalTest {
  /** Every fixture ever written; add, never remove. */
  static final List<String> FIXTURES = List.of("journal-v1", "journal-v2");

  static EventCodec codec;

  @BeforeAll
  static void codec() {
    codec = EventCodec.offline();
  }

  @AfterAll
  static void close() {
    codec.close();
  }

  static Stream<String> fixtures() {
    return FIXTURES.stream();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void replaysToTheStateItWasWrittenWith(String name) throws Exception {
    ArchiveFile.Contents journal;
    try (InputStream in = resource(name + ".jsonl")) {
      journal = ArchiveFile.read(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    JsonNode expected;
    try (InputStream in = resource(name + ".state.json")) {
      expected = Json.mapper().readTree(in);
    }
    assertThat(journal.rows()).as("a golden journal is never empty").hasSizeGreaterThan(50);
    Replay replay = new Replay(null);
    for (JournalRow row : journal.rows()) {
      replay.apply(row, codec.decode(row));
    }
    List<JsonNode> rebuilt = objects(replay.index());
    List<JsonNode> wanted = new ArrayList<>();
    expected.forEach(wanted::add);
    assertThat(rebuilt).containsExactlyElementsOf(wanted);
    // the fixture's own chain is intact: it is the journal as written, not edited by hand
    assertThat(new Verifier(null, codec, null).verifyArchiveChain(journal)).isEmpty();
  }

  static List<JsonNode> objects(ObjectIndex index) {
    List<JsonNode> out = new ArrayList<>();
    for (String resource : List.of(ObjectIndex.NODES, ObjectIndex.DAEMONSETS, ObjectIndex.REVISIONS,
        ObjectIndex.PODS)) {
      index.list(resource).stream().sorted(Comparator.comparing(StoredObject::key))
          .forEach(o -> out.add(Json.read(Json.write(o.object()), JsonNode.class)));
    }
    return out;
  }

  private static InputStream resource(String file) throws IOException {
    InputStream in = GoldenJournalTest.class.getResourceAsStream("golden/" + file);
    if (in == null) {
      throw new IOException("missing fixture golden/" + file);
    }
    return in;
  }
}
