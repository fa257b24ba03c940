package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event type this release can persist has a fixture as this release's serializer wrote it
 * ({@code golden/events/<class>.json}, written from {@link EventSamples} by {@code EventFixturesWriter}), and
 * that fixture still reads, through Pekko's serialization, as the sample it was written from: as it is (a row of
 * the previous release) and with fields added everywhere (a row of the next one). The golden journals cover what
 * a scenario writes; this covers every type, including those no scenario reaches (CanaryPassed, PodAdopted, the
 * node credentials' events...). A new event type fails {@link #everyPersistedEventTypeHasAFixture} until it has
 * a sample and a fixture. docs/persistence.md, "Events across releases".
 */
class EventFixturesTest {
  @AutoClose static final SerializedFixtures fixtures = new SerializedFixtures();
  static final Map<Class<?>, Object> SAMPLES = EventSamples.events();

  @Test
  void everyPersistedEventTypeHasAFixture() throws Exception {
    List<Class<?>> types = PersistedEventTypes.all();
    assertThat(types).as("the four entities' events are found").hasSizeGreaterThanOrEqualTo(40)
        .contains(io.daemonset.daemonset.DaemonSetEntity.CanaryPassed.class,
            io.daemonset.cluster.NodeCredentialEntity.CredentialRevoked.class);
    List<String> withoutSample = new ArrayList<>();
    List<String> withoutFixture = new ArrayList<>();
    for (Class<?> type : types) {
      if (!SAMPLES.containsKey(type)) {
        withoutSample.add(type.getName());
      }
      if (SerializedFixtures.read(SerializedFixtures.EVENTS, type.getName()).isEmpty()) {
        withoutFixture.add(type.getName());
      }
    }
    assertThat(withoutSample).as("event types without a value in EventSamples.events()").isEmpty();
    assertThat(withoutFixture).as("event types without golden/events/<class>.json: run "
        + "mvn -o test -Dtest=EventFixturesWriter -Dgolden.fixtures=write, and check the new files in").isEmpty();
    assertThat(SAMPLES.keySet()).as("samples of types no entity persists any more?").containsAll(types)
        .hasSameSizeAs(types);
  }

  static Stream<Class<?>> types() {
    return SAMPLES.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("types")
  void theFixtureReadsAsTheEventItWasWrittenFrom(Class<?> type) throws Exception {
    byte[] fixture = SerializedFixtures.read(SerializedFixtures.EVENTS, type.getName()).orElseThrow();
    assertThat(fixtures.manifest(SAMPLES.get(type))).as("the manifest is the class name: never move an event")
        .isEqualTo(type.getName());
    assertThat(fixtures.deserialize(fixture, type)).isEqualTo(SAMPLES.get(type));
  }

  @ParameterizedTest
  @MethodSource("types")
  void theFixtureWithTheNextReleasesFieldsReadsAsTheSameEvent(Class<?> type) throws Exception {
    byte[] fixture = SerializedFixtures.read(SerializedFixtures.EVENTS, type.getName()).orElseThrow();
    AtomicInteger added = new AtomicInteger();
    JsonNode widened = NextReleaseFields.widen(fixtures.mapper, NextReleaseFields.json(fixtures.mapper, fixture),
        fixtures.mapper.constructType(type), added);
    assertThat(added.get()).as("at least the event and its cause").isGreaterThanOrEqualTo(
        type.getSimpleName().startsWith("Credential") ? 1 : 2);
    assertThat(fixtures.deserialize(fixtures.mapper.writeValueAsBytes(widened), type))
        .isEqualTo(SAMPLES.get(type));
  }

  /** Today's writer and reader agree on the sample (a field today writes but cannot read would fail here). */
  @ParameterizedTest
  @MethodSource("types")
  void theSampleRoundTripsThroughTodaysSerializer(Class<?> type) {
    Object sample = SAMPLES.get(type);
    assertThat(fixtures.deserialize(fixtures.serialize(sample), type)).isEqualTo(sample);
  }
}
