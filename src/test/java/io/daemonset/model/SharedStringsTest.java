package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonset.journal.JsonSerializable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two decodings of one object share its strings (values unchanged); Pekko's journal mapper shares them too. */
class SharedStringsTest {
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"fluentd-x7k2p","namespace":"default",
       "uid":"4b7a2f36-86a1-4f0e-9d44-1f0c5e2a9b11","labels":{"app":"fluentd","controller-revision-hash":"66998b4dc8"},
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"fluentd","uid":"u-1","controller":true}]},
       "spec":{"nodeName":"node-17","containers":[{"name":"c","image":"agent:1","args":["--v","2"]}],
       "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"}]},
       "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}
      """;

  @Test
  void twoDecodingsOfAPodShareEveryString() {
    Pod one = Json.read(POD, Pod.class);
    Pod two = Json.read(POD, Pod.class);

    assertThat(two).isEqualTo(one);
    assertThat(two.metadata().name()).isSameAs(one.metadata().name());
    assertThat(two.metadata().uid()).isSameAs(one.metadata().uid());
    assertThat(two.metadata().labels().get("controller-revision-hash"))
        .isSameAs(one.metadata().labels().get("controller-revision-hash"));
    assertThat(two.metadata().ownerReferences().get(0).uid()).isSameAs(one.metadata().ownerReferences().get(0).uid());
    assertThat(two.spec().nodeName()).isSameAs(one.spec().nodeName());
    assertThat(two.spec().containers().get(0).args().get(1)).isSameAs(one.spec().containers().get(0).args().get(1));
    assertThat(two.spec().tolerations().get(0).key()).isSameAs(one.spec().tolerations().get(0).key());
    assertThat(two.status().conditions().get(0).status()).isSameAs(one.status().conditions().get(0).status());
  }

  @Test
  void aLongTextIsLeftAlone_valuesAndNullsUnchanged() {
    String longText = "x".repeat(SharedStrings.MAX_LENGTH + 1);
    String json = "{\"name\":\"" + longText + "\",\"namespace\":null}";

    ObjectMeta one = Json.read(json, ObjectMeta.class);
    ObjectMeta two = Json.read(json, ObjectMeta.class);

    assertThat(one.name()).isEqualTo(longText).isNotSameAs(two.name());
    assertThat(one.namespace()).isNull();
    assertThat(SharedStrings.share(null)).isNull();
  }

  record Admitted(String podKey, List<String> names, Map<String, String> labels) implements JsonSerializable {}

  @Test
  void pekkosJournalMapperSharesThem() throws Exception {
    var system = org.apache.pekko.actor.typed.ActorSystem.create(
        org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "strings");
    try {
      ObjectMapper pekko = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(system)
          .getOrCreate("jackson-json", java.util.Optional.empty());
      String json = "{\"podKey\":\"default/fluentd-q9z1\",\"names\":[\"node-3\"],\"labels\":{\"app\":\"fluentd-q9z1\"}}";

      Admitted one = pekko.readValue(json, Admitted.class);
      Admitted two = pekko.readValue(json, Admitted.class);

      assertThat(two).isEqualTo(one);
      assertThat(two.podKey()).isSameAs(one.podKey());
      assertThat(two.names().get(0)).isSameAs(one.names().get(0));
      assertThat(two.labels().get("app")).isSameAs(one.labels().get("app"));
    } finally {
      system.terminate();
    }
  }
}
