package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the missing single-value fixtures: events ({@link EventSamples#events()}), snapshots
 * ({@link SnapshotSamples}) and messages between members ({@link MessageSamples}), through this release's real serialization, into src/test/resources. Run only on
 * purpose, after adding an event or message type and its sample:
 *
 * <pre>mvn -o test -Dtest=EventFixturesWriter -Dgolden.fixtures=write</pre>
 *
 * It never overwrites a fixture: an existing one is what a past release wrote, and keeps being read.
 */
@EnabledIfSystemProperty(named = "golden.fixtures", matches = "write")
class EventFixturesWriter {
  @Test
  void writeMissingFixtures() throws Exception {
    try (SerializedFixtures fixtures = new SerializedFixtures()) {
      Map<String, Object> events = new java.util.LinkedHashMap<>();
      EventSamples.events().forEach((type, event) -> events.put(type.getName(), event));
      Map<String, Object> snapshots = new java.util.LinkedHashMap<>();
      SnapshotSamples.snapshots().forEach((type, snapshot) -> snapshots.put(type.getName(), snapshot));
      int written = write(fixtures, SerializedFixtures.EVENTS, events)
          + write(fixtures, SerializedFixtures.SNAPSHOTS, snapshots)
          + write(fixtures, SerializedFixtures.MESSAGES, MessageSamples.messages(fixtures.replyTo()));
      System.out.println("golden fixtures written: " + written);
    }
  }

  private static int write(SerializedFixtures fixtures, String kind, Map<String, Object> samples) throws Exception {
    int written = 0;
    for (Map.Entry<String, Object> sample : samples.entrySet()) {
      byte[] bytes = fixtures.serialize(sample.getValue());
      assertThat(fixtures.deserialize(bytes, sample.getValue().getClass())).as("%s reads back", sample.getKey())
          .isEqualTo(sample.getValue());
      if (SerializedFixtures.writeIfMissing(kind, sample.getKey(), bytes)) {
        written++;
      }
    }
    return written;
  }
}
