package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Json;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One encoding per object: the same instance gets the same bytes; an equal but new object is encoded anew. */
class EncodedObjectsTest {
  @Test
  void oneObjectIsEncodedOnceAndAlwaysAsJacksonWritesIt() {
    EncodedObjects encoded = new EncodedObjects();
    Pod pod = new Pod("v1", "Pod", ObjectMeta.named("default", "p").withResourceVersion("7"), null, null);
    byte[] first = encoded.json(pod);
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(Json.write(pod));
    assertThat(encoded.json(pod)).isSameAs(first);

    Pod next = pod.withMetadata(pod.metadata().withResourceVersion("8"));
    assertThat(new String(encoded.json(next), StandardCharsets.UTF_8)).isEqualTo(Json.write(next));
    Pod equalButNew = new Pod("v1", "Pod", ObjectMeta.named("default", "p").withResourceVersion("7"), null, null);
    assertThat(encoded.json(equalButNew)).isNotSameAs(first).isEqualTo(first);
  }
}
