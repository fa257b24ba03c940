package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * During a rolling upgrade a member of one release sends commands to entities on a member of another, and reads
 * their answers: every such message ({@link MessageSamples}) has a fixture as this release's serializer wrote it
 * ({@code golden/messages/}), which must read, through Pekko's serialization, as the message it was written from:
 * as it is (from the previous release) and with a field this release does not know added to it and to every record
 * inside it (from the next one). docs/persistence.md, "Events across releases".
 */
class MessagesAcrossReleasesTest {
  @AutoClose static final SerializedFixtures fixtures = new SerializedFixtures();
  static final Map<String, Object> samples = MessageSamples.messages(fixtures.replyTo());

  /** A new public command of an entity (one another member may send) fails here until it has a sample. */
  @Test
  void everyCommandAnotherMemberSendsHasAFixture() throws Exception {
    List<Class<?>> commands = PersistedEventTypes.publicCommands();
    assertThat(commands).as("the four entities' commands are found").hasSizeGreaterThanOrEqualTo(25)
        .contains(io.daemonset.daemonset.DaemonSetEntity.HandOverRevisions.class,
            io.daemonset.node.NodeEntity.AdmitPod.class);
    List<String> without = commands.stream().map(Class::getName).filter(name -> !samples.containsKey(name)).toList();
    assertThat(without).as("public entity commands without a value in MessageSamples").isEmpty();
  }

  static Stream<String> names() {
    return MessageSamples.messages(null).keySet().stream(); // only the names: no system to reply to yet
  }

  @ParameterizedTest
  @MethodSource("names")
  void theFixtureReadsAsTheMessageItWasWrittenFrom(String name) throws Exception {
    Object sample = samples.get(name);
    byte[] fixture = SerializedFixtures.read(SerializedFixtures.MESSAGES, name).orElseThrow(() ->
        new AssertionError("no golden/messages/" + name + ".json: run "
            + "mvn -o test -Dtest=EventFixturesWriter -Dgolden.fixtures=write, and check the new file in"));
    assertThat(fixtures.deserialize(fixture, sample.getClass())).isEqualTo(sample);
  }

  @ParameterizedTest
  @MethodSource("names")
  void theFixtureWithTheNextReleasesFieldsReadsAsTheSameMessage(String name) throws Exception {
    Object sample = samples.get(name);
    byte[] fixture = SerializedFixtures.read(SerializedFixtures.MESSAGES, name).orElseThrow();
    byte[] next;
    if (sample instanceof Outcome<?>) {
      // an Outcome's value holds "kind" twice (type id and the object's field), which a JSON tree would merge:
      // the field goes into the bytes as written (OutcomeAcrossMembersTest adds them inside the value too)
      String json = new String(fixture, StandardCharsets.UTF_8);
      assertThat(json).startsWith("{");
      next = ("{\"" + NextReleaseFields.ADDED + "\":{\"nested\":[1,2]}," + json.substring(1))
          .getBytes(StandardCharsets.UTF_8);
    } else {
      AtomicInteger added = new AtomicInteger();
      JsonNode widened = NextReleaseFields.widen(fixtures.mapper, NextReleaseFields.json(fixtures.mapper, fixture),
          fixtures.mapper.constructType(sample.getClass()), added);
      assertThat(added.get()).isPositive();
      next = fixtures.mapper.writeValueAsBytes(widened);
    }
    assertThat(fixtures.deserialize(next, sample.getClass())).isEqualTo(sample);
  }
}
