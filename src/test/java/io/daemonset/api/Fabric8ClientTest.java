package io.daemonset.api;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.auth.Pki;
import io.daemonset.testing.TestControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 Kubernetes client (JDK HTTP client) lists, watches, creates and patches DaemonSets and nodes. */
class Fabric8ClientTest {
  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG);
    cluster = fixture.cluster();
    agents = fixture.agents();
    agents.join("f1", Map.of("disk", "ssd"));
    agents.join("f2", Map.of());
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.server().url())
        .withCaCertData(java.util.Base64.getEncoder().encodeToString(
            Files.readAllBytes(tmp.resolve("api").resolve(Pki.CA_CRT))))
        .withOauthToken(cluster.adminToken()).withNamespace("default").build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  static DaemonSet daemonSet(String name, String image) {
    return new DaemonSetBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  @Test
  void listsWatchesAndPatchesDaemonSets() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Watch watch = client.apps().daemonSets().inNamespace("default").withLabel("team", "f8")
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, DaemonSet ds) {
            events.add(action + " " + ds.getMetadata().getName() + " "
                + ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
          }

          @Override
          public void onClose(WatcherException cause) {
            events.add("CLOSED " + cause);
          }
        });
    try {
      DaemonSet created = client.apps().daemonSets().inNamespace("default")
          .resource(new DaemonSetBuilder(daemonSet("f8", "nginx:1")).editMetadata().addToLabels("team", "f8")
              .endMetadata().build()).create();
      assertThat(created.getMetadata().getUid()).isNotEmpty();
      assertThat(created.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("ADDED f8 nginx:1");

      List<DaemonSet> listed = client.apps().daemonSets().inNamespace("default").withLabel("team", "f8").list()
          .getItems();
      assertThat(listed).extracting(ds -> ds.getMetadata().getName()).containsExactly("f8");

      DaemonSet patched = client.apps().daemonSets().inNamespace("default").withName("f8")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
              "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:2\"}]}}}}");
      assertThat(patched.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:2");
      assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);
      String seen = events.poll(20, TimeUnit.SECONDS);
      while (seen != null && !seen.equals("MODIFIED f8 nginx:2")) {
        assertThat(seen).startsWith("MODIFIED f8");
        seen = events.poll(20, TimeUnit.SECONDS);
      }
      assertThat(seen).isEqualTo("MODIFIED f8 nginx:2");

      // fabric8's edit is a locking JSON patch: it adds the resourceVersion it read to the patch, so kube-apiserver
      // answers 409 when a controller status write lands between its GET and its PATCH, as this server does (the
      // status writes of a rollout just begun). Like any optimistic-lock client, edit once the rollout is quiet.
      await("generation 2 rolled out").until(() -> {
        DaemonSet ds = client.apps().daemonSets().inNamespace("default").withName("f8").get();
        return ds.getStatus() != null && Long.valueOf(2).equals(ds.getStatus().getObservedGeneration())
            && Integer.valueOf(2).equals(ds.getStatus().getUpdatedNumberScheduled())
            && Integer.valueOf(2).equals(ds.getStatus().getNumberAvailable());
      });
      DaemonSet edited = client.apps().daemonSets().inNamespace("default").withName("f8")
          .edit(ds -> new DaemonSetBuilder(ds).editSpec().withMinReadySeconds(3).endSpec().build());
      assertThat(edited.getSpec().getMinReadySeconds()).isEqualTo(3);

      await("f8 rolled out on both nodes").until(() -> {
        DaemonSet ds = client.apps().daemonSets().inNamespace("default").withName("f8").get();
        return ds.getStatus() != null && ds.getStatus().getNumberAvailable() != null
            && ds.getStatus().getNumberAvailable() == 2 && ds.getStatus().getUpdatedNumberScheduled() == 2;
      });

      assertThat(client.apps().daemonSets().inNamespace("default").withName("f8").delete()).hasSize(1);
      String deleted = events.poll(20, TimeUnit.SECONDS);
      while (deleted != null && deleted.startsWith("MODIFIED")) {
        deleted = events.poll(20, TimeUnit.SECONDS);
      }
      assertThat(deleted).startsWith("DELETED f8");
    } finally {
      watch.close();
    }
  }

  @Test
  void nodesAreLabelledAndRefusalsAreKubernetesExceptions() {
    Node labelled = client.nodes().withName("f2").edit(n -> {
      n.getMetadata().getLabels().put("disk", "ssd");
      return n;
    });
    assertThat(labelled.getMetadata().getLabels()).containsEntry("disk", "ssd");
    assertThat(client.nodes().withLabel("disk", "ssd").list().getItems()).extracting(n -> n.getMetadata().getName())
        .containsExactly("f1", "f2");

    client.apps().daemonSets().inNamespace("default").resource(daemonSet("dup", "nginx:1")).create();
    KubernetesClientException exists = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
        () -> client.apps().daemonSets().inNamespace("default").resource(daemonSet("dup", "nginx:1")).create());
    assertThat(exists.getCode()).isEqualTo(409);
    assertThat(exists.getStatus().getReason()).isEqualTo("AlreadyExists");
    assertThat(client.apps().daemonSets().inNamespace("default").withName("missing").get()).isNull();
  }
}
