package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events the next release writes, read by this one: every row of every golden journal (events as past releases
 * wrote them, {@link GoldenJournalTest#FIXTURES}) with a field added to the event and to every record inside it (a
 * Node's status, a pod's container, a cause...; not to maps, whose keys are data), as a release that adds a field
 * to an event writes it. This release must read the same event as from the row without them. A change that makes
 * an event, or a type inside one, refuse unknown fields (a custom deserializer, FAIL_ON_UNKNOWN_PROPERTIES) fails
 * here; so would a member of this release failing to replay, or to receive, what a member of the next one wrote
 * during a rolling upgrade. docs/persistence.md, "Events across releases".
 */
class NextReleaseEventsTest {
  static final String ADDED = NextReleaseFields.ADDED;

  static ActorSystem<Void> system;
  static Serialization serialization;
  static ObjectMapper mapper;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "next-release-events", ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        """).withFallback(ConfigFactory.defaultReference()));
    serialization = SerializationExtension.get(Adapter.toClassic(system));
    mapper = JacksonObjectMapperProvider.get(Adapter.toClassic(system)).getOrCreate("jackson-json", Optional.empty());
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  static Stream<String> fixtures() {
    return GoldenJournalTest.FIXTURES.stream();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyEventWithFieldsAddedEverywhereReadsAsTheSameEvent(String name) throws Exception {
    ArchiveFile.Contents journal;
    try (InputStream in = GoldenJournalTest.class.getResourceAsStream("golden/" + name + ".jsonl")) {
      journal = ArchiveFile.read(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    AtomicInteger added = new AtomicInteger();
    for (JournalRow row : journal.rows()) {
      Object today = serialization.deserialize(row.payload(), row.serializerId(), row.manifest()).get();
      JavaType type = mapper.constructType(today.getClass());
      JsonNode widened = widen(json(row.payload()), type, added);
      Object fromNext = serialization.deserialize(mapper.writeValueAsBytes(widened), row.serializerId(),
          row.manifest()).get();
      assertThat(json(serialization.serialize(fromNext).get()))
          .as("%s #%d (%s) with the next release's fields", row.persistenceId(), row.sequenceNr(), row.manifest())
          .isEqualTo(json(serialization.serialize(today).get()));
    }
    assertThat(added.get()).as("fields added inside the events, not only at their top")
        .isGreaterThan(3 * journal.rows().size());
  }

  static JsonNode widen(JsonNode node, JavaType type, AtomicInteger added) {
    return NextReleaseFields.widen(mapper, node, type, added);
  }

  static JsonNode json(byte[] payload) throws IOException {
    return NextReleaseFields.json(mapper, payload);
  }
}
