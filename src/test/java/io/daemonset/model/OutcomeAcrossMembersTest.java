package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An entity's answer crosses JVMs whenever the entity lives on another member than the API request: every kind of
 * value an entity answers with must read back on the other side (a Lease renewal's answer once did not, and every
 * renewal asked of another member timed out).
 */
class OutcomeAcrossMembersTest {
  private static ActorTestKit KIT;
  private static Serialization SERIALIZATION;

  /** Created here, not in a static initializer, so that surefire's rerun of a failed test gets a live system. */
  @BeforeAll
  static void startKit() {
    KIT = ActorTestKit.create();
    SERIALIZATION = SerializationExtension.get(KIT.system().classicSystem());
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** One value of every type an entity's Outcome carries (DaemonSetEntity, NodeEntity, ObjectEntity). */
  static Stream<Object> values() {
    return Stream.of(
        new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND, ObjectMeta.named("default", "agent"), null, null),
        new Node("v1", Node.KIND, ObjectMeta.named(null, "node-1"), null, null),
        new Pod("v1", Pod.KIND, ObjectMeta.named("default", "agent-bcdfg"),
            PodSpec.of(List.of(Container.of("agent", "agent:1"))).withNodeName("node-1"), null),
        new RawObject(JsonNodeFactory.instance.objectNode().put("kind", "ConfigMap").put("apiVersion", "v1")),
        Lease.forNode("node-1", Instant.parse("2026-12-02T10:00:00.123456Z")));
  }

  @ParameterizedTest
  @MethodSource("values")
  void anAcceptedWriteReadsBackOnAnotherMember(Object value) {
    Outcome<Object> outcome = Outcome.ok(value, 42);
    assertThat(roundTrip(outcome)).isEqualTo(outcome);
  }

  /**
   * A member of the next release answers with fields this one does not know: in the answer, in its value and in the
   * value's metadata. Spliced into the bytes as written (the value's JSON holds "kind" twice, the type id and the
   * object's own field, which a JSON tree would merge).
   */
  @ParameterizedTest
  @MethodSource("values")
  void anAnswerOfTheNextReleaseReadsBackWithoutItsNewFields(Object value) {
    Outcome<Object> outcome = Outcome.ok(value, 42);
    var serializer = SERIALIZATION.findSerializerFor(outcome);
    String json = new String(SERIALIZATION.serialize(outcome).get(), java.nio.charset.StandardCharsets.UTF_8);
    String added = "\"addedByTheNextRelease\":{\"any\":[1]},";
    String next = ("{" + added + json.substring(1)).replaceFirst("\"value\":\\{", "\"value\":{" + added)
        .replaceFirst("\"metadata\":\\{", "\"metadata\":{" + added);
    assertThat(next.split("addedByTheNextRelease", -1)).as(next).hasSizeGreaterThanOrEqualTo(
        value instanceof RawObject ? 3 : 4);
    Object read = SERIALIZATION.deserialize(next.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        serializer.identifier(), Serializers.manifestFor(serializer, outcome)).get();
    assertThat(read).isEqualTo(outcome);
  }

  @Test
  void aRefusalReadsBackOnAnotherMember() {
    Outcome<Object> outcome = Outcome.refused(Outcome.Refusal.CONFLICT, Outcome.CONFLICT_MESSAGE);
    assertThat(roundTrip(outcome)).isEqualTo(outcome);
  }

  private static Object roundTrip(Object message) {
    byte[] bytes = SERIALIZATION.serialize(message).get();
    var serializer = SERIALIZATION.findSerializerFor(message);
    return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }
}
