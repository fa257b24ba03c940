package io.daemonset.view;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import io.daemonset.cluster.Store;
import io.daemonset.model.Cause;
import io.daemonset.model.Json;
import io.daemonset.objects.ObjectEntity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read whose rows are not applied (the database cut right after the read, while the tail asked who still writes;
 * or the applying failed) is read again: the tail moves on only once its sink has the rows. It used to move first,
 * and those rows were lost to this view and every view snapshot it wrote.
 */
class JournalTailRetryTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dataDir;
  ControlPlane plane;
  JournalTail tail;

  @AfterEach
  void stop() {
    if (tail != null) {
      tail.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void rowsOfAReadThatFailedAfterReadingAreReadAgain() throws Exception {
    plane = ControlPlane.start(Settings.defaults().withDataDir(dataDir).withStore(Store.H2).withClusterPort(0)
        .withSeedNodes(List.of()), Clock.systemUTC());
    plane.member().awaitMemberUp(WAIT);
    for (String name : List.of("one", "two", "three")) {
      var object = Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
          + name + "\",\"namespace\":\"default\"},\"data\":{\"k\":\"v\"}}");
      plane.store().plainObject("configmaps", "default", name, r -> new ObjectEntity.Create("configmaps", object,
          Cause.byUser(Instant.now(), "alice", "kubectl create"), r)).toCompletableFuture()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    Set<String> applied = ConcurrentHashMap.newKeySet();
    AtomicBoolean failedOnce = new AtomicBoolean();
    JournalTail.Sink failingOnce = (rows, position) -> {
      if (!rows.isEmpty() && failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("the connection was cut after the read");
      }
      rows.forEach(row -> applied.add(row.persistenceId()));
    };
    tail = new JournalTail(plane.system(), new JournalDatabase(plane.system()), ObjectIndex::isIndexed, failingOnce,
        t -> 0L, Duration.ofMillis(50), Duration.ofSeconds(5)).start();

    await("every row read again after the failed read", WAIT).untilAsserted(() -> assertThat(applied)
        .contains("Object|configmaps/default/one", "Object|configmaps/default/two",
            "Object|configmaps/default/three"));
    assertThat(failedOnce).isTrue();
  }
}
