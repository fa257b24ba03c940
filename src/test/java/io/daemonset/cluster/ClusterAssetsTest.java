package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import io.daemonset.api.ApiSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The deployment assets (k8s/, docker/) against the application: ports, labels and selectors, probe paths, the
 * environment variables they set, the Secret keys they read and the serve flags they pass must be ones the
 * application has. They were not run against a real Kubernetes or Docker here, so this is what keeps them honest.
 */
class ClusterAssetsTest {
  static final Path REPO = Path.of("").toAbsolutePath();
  static final Pattern CONFIG_ENV = Pattern.compile("\\$\\{\\?([A-Z0-9_]+)}");
  static final Pattern FLAG_ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
  static Set<String> knownEnv;
  static Config defaults;

  @TempDir static Path dataDir;

  @BeforeAll
  static void application() throws IOException {
    knownEnv = new TreeSet<>();
    try (Stream<Path> files = Files.list(REPO.resolve("src/main/resources/daemonset"))) {
      // the .conf files (the directory also holds the H2 create script, under schema/)
      for (Path conf : files.filter(f -> f.toString().endsWith(".conf")).toList()) {
        Matcher m = CONFIG_ENV.matcher(Files.readString(conf));
        while (m.find()) {
          knownEnv.add(m.group(1));
        }
      }
    }
    for (java.lang.reflect.Field field : ServeCommand.class.getDeclaredFields()) {
      CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
      if (option != null) {
        Matcher m = FLAG_ENV.matcher(option.defaultValue());
        while (m.find()) {
          knownEnv.add(m.group(1));
        }
      }
    }
    knownEnv.add(ControlPlaneConfig.CONF_DIR_ENV);
    defaults = ControlPlaneConfig.load(ControlPlaneSystem.Settings.defaults().withDataDir(dataDir));
  }

  static List<JsonNode> yamlDocuments(String path) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    ObjectMapper yaml = new YAMLMapper();
    try (var parser = new YAMLFactory().createParser(REPO.resolve(path).toFile())) {
      for (var it = yaml.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  static JsonNode kind(List<JsonNode> docs, String kind, String name) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
            && (name == null || d.path("metadata").path("name").asText().equals(name)))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/controller.yaml"));
  }

  @Test
  void theStatefulSetsLabelsSelectorsPortsAndProbesMatchTheApplication() throws IOException {
    List<JsonNode> docs = yamlDocuments("k8s/controller.yaml");
    JsonNode set = kind(docs, "StatefulSet", null);
    String app = defaults.getString("daemonset.cluster.service-name");
    assertThat(set.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(set.at("/spec/selector/matchLabels/app").asText()).isEqualTo(app);
    assertThat(set.at("/spec/template/metadata/labels/app").asText()).isEqualTo(app);
    assertThat(String.format(defaults.getString("pekko.discovery.kubernetes-api.pod-label-selector"), app))
        .isEqualTo("app=" + app);
    for (JsonNode service : docs.stream().filter(d -> d.path("kind").asText().equals("Service")).toList()) {
      assertThat(service.at("/spec/selector/app").asText()).as("Service selector").isEqualTo(app);
    }
    assertThat(set.at("/spec/serviceName").asText()).isEqualTo(kind(docs, "Service", set.at("/spec/serviceName").asText())
        .at("/metadata/name").asText());

    JsonNode container = set.at("/spec/template/spec/containers/0");
    Map<String, Integer> ports = new java.util.HashMap<>();
    container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    assertThat(ports).containsEntry("api", ApiSettings.DEFAULT_PORT)
        .containsEntry("remoting", defaults.getInt("daemonset.cluster.port"))
        .containsEntry("management", defaults.getInt("daemonset.management.port"));
    assertThat(defaults.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name"))
        .isEqualTo("management");
    JsonNode members = kind(docs, "Service", "daemonset-controller-members");
    Set<String> memberPorts = new HashSet<>();
    members.at("/spec/ports").forEach(p -> {
      memberPorts.add(p.path("name").asText());
      assertThat(p.path("port").asInt()).isEqualTo(ports.get(p.path("name").asText()));
    });
    assertThat(memberPorts).contains("management", "remoting");

    assertThat(container.at("/readinessProbe/httpGet/path").asText())
        .isEqualTo("/" + defaults.getString("pekko.management.health-checks.readiness-path"));
    assertThat(container.at("/livenessProbe/httpGet/path").asText())
        .isEqualTo("/" + defaults.getString("pekko.management.health-checks.liveness-path"));
    assertThat(ports).containsKey(container.at("/readinessProbe/httpGet/port").asText());
    assertThat(ports).containsKey(container.at("/livenessProbe/httpGet/port").asText());
  }

  @Test
  void theStatefulSetJoinsThroughKubernetesApiDiscoveryWithRbacToListPods() throws IOException {
    List<JsonNode> docs = yamlDocuments("k8s/controller.yaml");
    JsonNode container = kind(docs, "StatefulSet", null).at("/spec/template/spec/containers/0");
    Map<String, JsonNode> env = envOf(container);
    String method = env.get("DS_DISCOVERY").path("value").asText();
    assertThat(defaults.hasPath("pekko.discovery." + method + ".class")).as("discovery method " + method).isTrue();
    assertThat(env).containsKeys("DS_CLUSTER_HOST", "DS_DB_URL", "DS_DB_USER", "DS_DB_PASSWORD");
    assertThat(env).doesNotContainKey("DS_SEED_NODES");

    JsonNode role = kind(docs, "Role", null);
    assertThat(role.at("/rules/0/resources").toString()).contains("pods");
    assertThat(role.at("/rules/0/verbs").toString()).contains("list", "watch", "get");
    JsonNode binding = kind(docs, "RoleBinding", null);
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
    assertThat(binding.at("/subjects/0/name").asText())
        .isEqualTo(kind(docs, "StatefulSet", null).at("/spec/template/spec/serviceAccountName").asText());
    for (JsonNode value : env.values()) {
      JsonNode secret = value.at("/valueFrom/secretKeyRef");
      if (!secret.isMissingNode()) {
        assertThat(secret.path("name").asText()).isEqualTo("daemonset-db");
        assertThat(secret.path("key").asText()).isIn("url", "user", "password");
      }
    }
  }

  @Test
  void everyEnvironmentVariableTheAssetsSetIsOneTheApplicationReads() throws IOException {
    Set<String> used = new TreeSet<>();
    for (JsonNode c : kind(yamlDocuments("k8s/controller.yaml"), "StatefulSet", null)
        .at("/spec/template/spec/containers")) {
      used.addAll(envOf(c).keySet());
    }
    JsonNode compose = yamlDocuments("docker/docker-compose.yml").get(0);
    compose.path("services").fields().forEachRemaining(service -> {
      if (!service.getKey().equals("postgres")) {
        service.getValue().path("environment").fieldNames().forEachRemaining(used::add);
      }
    });
    compose.path("x-controller").path("environment").fieldNames().forEachRemaining(used::add);
    Matcher env = Pattern.compile("(DS_[A-Z0-9_]+)=").matcher(Files.readString(REPO.resolve("docker/Dockerfile")));
    while (env.find()) {
      used.add(env.group(1));
    }
    used.remove("<<");
    assertThat(used).isNotEmpty();
    assertThat(knownEnv).containsAll(used);
  }

  @Test
  void theServeCommandLinesOfTheAssetsParseAndTheComposeMembersShareOneDataVolume() throws IOException {
    List<List<String>> commandLines = new ArrayList<>();
    JsonNode set = kind(yamlDocuments("k8s/controller.yaml"), "StatefulSet", null);
    commandLines.add(strings(set.at("/spec/template/spec/containers/0/args")));
    JsonNode compose = yamlDocuments("docker/docker-compose.yml").get(0);
    Set<String> dataVolumes = new HashSet<>();
    compose.path("services").fields().forEachRemaining(service -> {
      if (service.getKey().startsWith("controller")) {
        JsonNode command = service.getValue().path("command");
        if (!command.isMissingNode()) {
          commandLines.add(strings(command));
        }
        service.getValue().path("volumes").forEach(v -> dataVolumes.add(v.asText()));
        compose.path("x-controller").path("volumes").forEach(v -> dataVolumes.add(v.asText()));
      }
    });
    Matcher cmd = Pattern.compile("CMD \\[(.*)]").matcher(Files.readString(REPO.resolve("docker/Dockerfile")));
    assertThat(cmd.find()).isTrue();
    commandLines.add(new ObjectMapper().readValue("[" + cmd.group(1) + "]",
        new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { }));
    for (List<String> line : commandLines) {
      assertThat(line.get(0)).isEqualTo("serve");
      ServeCommand serve = new ServeCommand();
      new CommandLine(serve).parseArgs(line.subList(1, line.size()).toArray(String[]::new));
      assertThat(serve.settings()).isNotNull();
    }
    assertThat(dataVolumes).containsExactly("identity:/data");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static Map<String, JsonNode> envOf(JsonNode container) {
    Map<String, JsonNode> env = new java.util.LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }
}
