package io.daemonset.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Cause;
import io.daemonset.model.Container;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.node.NodeEntity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events go to the journal through Pekko's Jackson serializer as configured for every ActorSystem. */
class OmitNullsModuleTest {
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

  private static final NodeEntity.PodAdmitted ADMITTED = new NodeEntity.PodAdmitted(
      new Pod("v1", "Pod", ObjectMeta.named("default", "fluentd-bcdfg").withUid("uid-1")
          .withOwnerReferences(List.of(OwnerReference.controlledBy("apps/v1", "DaemonSet", "fluentd", "ds-uid"))),
          PodSpec.of(List.of(Container.of("c", "fluentd:v1"))).withNodeName("n1"), null),
      Cause.byController(Instant.parse("2026-12-02T10:00:00Z"), "admit"));

  @Test
  void anEventIsWrittenWithoutItsNullPropertiesAndReadsBackEqual() throws Exception {
    byte[] bytes = SERIALIZATION.serialize(ADMITTED).get();
    String json = new String(bytes, StandardCharsets.UTF_8);

    assertThat(json).contains("\"name\":\"fluentd-bcdfg\"").doesNotContain(":null");
    var serializer = SERIALIZATION.findSerializerFor(ADMITTED);
    Object back = SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, ADMITTED))
        .get();
    assertThat(back).isEqualTo(ADMITTED);
  }

  @Test
  void anEventWrittenWithItsNullsStillReads() throws Exception {
    var serializer = SERIALIZATION.findSerializerFor(ADMITTED);
    String old = new String(SERIALIZATION.serialize(ADMITTED).get(), StandardCharsets.UTF_8)
        .replace("\"metadata\":{", "\"metadata\":{\"generation\":null,\"annotations\":null,");
    Object back = SERIALIZATION.deserialize(old.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        Serializers.manifestFor(serializer, ADMITTED)).get();
    assertThat(back).isEqualTo(ADMITTED);
  }
}
