package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.model.Container;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import io.daemonset.model.Volume;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet's resolution of ConfigMaps and Secrets into environment and files, and its atomic writes. */
class PodConfigTest {
  @TempDir
  Path tmp;

  static final PodConfig.Lookup OBJECTS = new PodConfig.Lookup() {
    @Override
    public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
      return name.equals("app") ? Optional.of(Map.of("mode", b("fast"), "app.conf", b("level=info")))
          : Optional.empty();
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String namespace, String name) {
      return name.equals("api") ? Optional.of(Map.of("key", b("s3cr3t"))) : Optional.empty();
    }
  };

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Pod pod(String specYaml) {
    return Json.convert(readYaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: logging, uid: u1, labels: {app: shipper}}
        spec:
        """ + specYaml), Pod.class);
  }

  static Object readYaml(String yaml) {
    try {
      return Json.yamlMapper().readTree(yaml);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void environmentFromConfigMapsAndSecrets() {
    Pod pod = pod("""
          containers:
          - name: c
            envFrom: [{configMapRef: {name: app}, prefix: CFG_}]
            env:
            - {name: KEY, valueFrom: {secretKeyRef: {name: api, key: key}}}
            - {name: OPT, valueFrom: {configMapKeyRef: {name: none, key: x, optional: true}}}
        """);
    Container c = pod.spec().containers().get(0);
    Map<String, String> env = ContainerEnv.variables(pod, c, "10.0.0.1", PodConfig.environment(pod, c, OBJECTS));
    assertThat(env).containsEntry("CFG_mode", "fast").containsEntry("KEY", "s3cr3t").doesNotContainKey("OPT");
  }

  @Test
  void aMissingObjectOrKeyIsCreateContainerConfigError() {
    Pod missing = pod("""
          containers:
          - name: c
            env: [{name: K, valueFrom: {configMapKeyRef: {name: gone, key: x}}}]
        """);
    assertThatThrownBy(() -> PodConfig.environment(missing, missing.spec().containers().get(0), OBJECTS))
        .isInstanceOf(PodConfig.Missing.class).hasMessage("configmap \"gone\" not found");
    Pod noKey = pod("""
          containers:
          - name: c
            env: [{name: K, valueFrom: {secretKeyRef: {name: api, key: nope}}}]
        """);
    assertThatThrownBy(() -> PodConfig.environment(noKey, noKey.spec().containers().get(0), OBJECTS))
        .hasMessage("couldn't find key nope in Secret logging/api");
  }

  @Test
  void volumesWithItemsModesProjectionAndDownwardApi() {
    Pod pod = pod("""
          containers: [{name: c}]
          volumes:
          - name: conf
            configMap: {name: app, items: [{key: app.conf, path: conf/app.conf, mode: 0600}]}
          - name: all
            projected:
              defaultMode: 0440
              sources:
              - secret: {name: api}
              - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
          - name: maybe
            secret: {secretName: none, optional: true}
        """);
    Map<String, PodConfig.File> conf = PodConfig.volumeFiles(pod, pod.spec().volumes().get(0), OBJECTS);
    assertThat(conf).containsOnlyKeys("conf/app.conf");
    assertThat(conf.get("conf/app.conf").mode()).isEqualTo(0600);
    Map<String, PodConfig.File> all = PodConfig.volumeFiles(pod, pod.spec().volumes().get(1), OBJECTS);
    assertThat(all).containsOnlyKeys("key", "labels");
    assertThat(new String(all.get("labels").content(), StandardCharsets.UTF_8)).isEqualTo("app=\"shipper\"\n");
    assertThat(all.get("key").mode()).isEqualTo(0440);
    assertThat(PodConfig.volumeFiles(pod, pod.spec().volumes().get(2), OBJECTS)).isEmpty();
    assertThat(PodConfig.volumeFiles(pod, Volume.hostPath("h", "/var/log"), OBJECTS)).isNull();
  }

  @Test
  void atomicWriterSwitchesTheDataLinkAndDropsOldFiles() throws Exception {
    Path dir = tmp.resolve("vol");
    assertThat(AtomicWriter.write(dir, Map.of("a", new PodConfig.File(b("1"), 0644),
        "sub/b", new PodConfig.File(b("2"), 0644)))).isTrue();
    assertThat(Files.isSymbolicLink(dir.resolve("..data"))).isTrue();
    assertThat(Files.isSymbolicLink(dir.resolve("a"))).isTrue();
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("1");
    assertThat(Files.readString(dir.resolve("sub/b"))).isEqualTo("2");
    Path first = dir.resolve("..data").toRealPath();
    assertThat(AtomicWriter.write(dir, Map.of("a", new PodConfig.File(b("1"), 0644),
        "sub/b", new PodConfig.File(b("2"), 0644)))).as("unchanged").isFalse();
    assertThat(AtomicWriter.write(dir, Map.of("a", new PodConfig.File(b("3"), 0644)))).isTrue();
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("3");
    assertThat(Files.exists(dir.resolve("sub"))).isFalse();
    assertThat(Files.exists(first)).as("the old data directory is removed").isFalse();
  }
}
