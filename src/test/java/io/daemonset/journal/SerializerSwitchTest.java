package io.daemonset.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.node.NodeEntity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal's format is one setting (daemonset/serialization.conf): a row names the serializer that wrote it, and
 * Pekko's Jackson serializers read each other's classes (a class bound to any Jackson serializer is allowed), so a
 * journal written in JSON still replays after a switch to CBOR, and back. docs/performance.md ("fmt9") measured the
 * switch and kept JSON.
 */
class SerializerSwitchTest {
  private static ActorTestKit json;
  private static ActorTestKit cbor;

  private static final NodeEntity.PodAdmitted ADMITTED = new NodeEntity.PodAdmitted(
      new Pod("v1", "Pod", ObjectMeta.named("default", "fluentd-bcdfg").withUid("uid-1"),
          PodSpec.of(List.of(Container.of("c", "fluentd:v1"))).withNodeName("n1"), null),
      Cause.byController(Instant.parse("2026-12-02T10:00:00.123Z"), "admit"));

  @BeforeAll
  static void start() {
    json = ActorTestKit.create("json");
    cbor = ActorTestKit.create("cbor", ConfigFactory.parseString(
        "pekko.actor.serialization-bindings { \"io.daemonset.journal.JsonSerializable\" = jackson-cbor }")
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    json.shutdownTestKit();
    cbor.shutdownTestKit();
  }

  private static Serialization serialization(ActorTestKit kit) {
    return SerializationExtension.get(kit.system().classicSystem());
  }

  @Test
  void theShippedFormatIsJsonThatSqlCanRead() throws Exception {
    Serializer serializer = serialization(json).findSerializerFor(ADMITTED);
    byte[] bytes = serialization(json).serialize(ADMITTED).get();

    assertThat(serializer.identifier()).isEqualTo(31); // jackson-json
    assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{").contains("\"name\":\"fluentd-bcdfg\"");
  }

  @Test
  void rowsWrittenInEitherFormatReadInAJvmBoundToTheOther() throws Exception {
    for (ActorTestKit[] writerReader : new ActorTestKit[][] {{json, cbor}, {cbor, json}}) {
      Serialization writer = serialization(writerReader[0]);
      Serializer serializer = writer.findSerializerFor(ADMITTED);
      byte[] row = writer.serialize(ADMITTED).get();

      Object read = serialization(writerReader[1])
          .deserialize(row, serializer.identifier(), Serializers.manifestFor(serializer, ADMITTED)).get();

      assertThat(read).as(writerReader[0].system().name() + " read by " + writerReader[1].system().name())
          .isEqualTo(ADMITTED);
    }
    assertThat(serialization(cbor).findSerializerFor(ADMITTED).identifier()).isEqualTo(33); // jackson-cbor
  }
}
