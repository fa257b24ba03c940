package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An entity recovers from its latest snapshot, which a member of the previous or the next release may have
 * written: every entity's state type has a fixture ({@code golden/snapshots/<class>.json}, from
 * {@link SnapshotSamples}) that reads back through Pekko's serialization as the state it was written from, as
 * written and with the next release's fields. A new entity fails {@link #everyEntityStateHasAFixture} until its
 * state has one. docs/persistence.md, "Events across releases".
 */
class SnapshotFixturesTest {
  @AutoClose static final SerializedFixtures fixtures = new SerializedFixtures();
  static final Map<Class<?>, Object> SAMPLES = SnapshotSamples.snapshots();

  @Test
  void everyEntityStateHasAFixture() throws Exception {
    List<Class<?>> states = PersistedEventTypes.snapshots();
    assertThat(states).as("the four entities' states").hasSizeGreaterThanOrEqualTo(4);
    assertThat(SAMPLES.keySet()).as("a sample of every entity's state").containsAll(states);
    for (Class<?> state : states) {
      assertThat(SerializedFixtures.read(SerializedFixtures.SNAPSHOTS, state.getName()))
          .as("golden/snapshots/%s.json (EventFixturesWriter writes it)", state.getName()).isPresent();
    }
  }

  static Stream<Class<?>> types() {
    return SAMPLES.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("types")
  void theFixtureReadsAsTheStateItWasWrittenFrom(Class<?> type) throws Exception {
    byte[] fixture = SerializedFixtures.read(SerializedFixtures.SNAPSHOTS, type.getName()).orElseThrow();
    assertThat(fixtures.deserialize(fixture, type)).isEqualTo(SAMPLES.get(type));
  }

  @ParameterizedTest
  @MethodSource("types")
  void theFixtureWithTheNextReleasesFieldsReadsAsTheSameState(Class<?> type) throws Exception {
    byte[] fixture = SerializedFixtures.read(SerializedFixtures.SNAPSHOTS, type.getName()).orElseThrow();
    AtomicInteger added = new AtomicInteger();
    JsonNode widened = NextReleaseFields.widen(fixtures.mapper, NextReleaseFields.json(fixtures.mapper, fixture),
        fixtures.mapper.constructType(type), added);
    assertThat(added.get()).isPositive();
    assertThat(fixtures.deserialize(fixtures.mapper.writeValueAsBytes(widened), type)).isEqualTo(SAMPLES.get(type));
  }
}
