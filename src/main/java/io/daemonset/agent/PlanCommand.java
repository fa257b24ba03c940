package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daemonset.model.Json;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plan -f FILE}: what applying a DaemonSet manifest would do, as {@code nomad job plan}: the server's
 * {@code daemonsets/NAME/plan} subresource, shown as a table (or its JSON with {@code -o json}). Changes nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Show what applying a DaemonSet manifest would do (nodes gaining, losing or replacing a pod, and "
        + "the rollout's steps), without applying it.",
    footer = {"",
        "The plan names the DaemonSet's resourceVersion it was planned against: put it in the manifest's",
        "metadata.resourceVersion and `kubectl apply` (or replace) is refused with 409 if anything changed since."})
public final class PlanCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, description = "the DaemonSet manifest (YAML or JSON)")
  Path file;

  @Option(names = {"-n", "--namespace"}, description = "namespace (default: the manifest's, else default)")
  String namespace;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table (default) or json")
  String output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode manifest = new YAMLMapper().readTree(Files.readString(file));
    if (!(manifest instanceof ObjectNode) || !"DaemonSet".equals(manifest.path("kind").asText())) {
      err.println("error: " + file + " is not a DaemonSet manifest");
      return 2;
    }
    String name = manifest.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      err.println("error: the manifest has no metadata.name");
      return 2;
    }
    String ns = namespace != null ? namespace : manifest.path("metadata").path("namespace").asText("default");
    String apiVersion = manifest.path("apiVersion").asText("apps/v1");
    String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    ApiTarget target = connection.target();
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "plan-http");
      t.setDaemon(true);
      return t;
    });
    try {
      HttpClient http = ApiClient.newHttpClient(target, executor);
      HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(prefix + "/namespaces/" + ns
              + "/daemonsets/" + name + "/plan", null))
          .timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(manifest)));
      if (target.token() != null) {
        request.header("Authorization", "Bearer " + target.token());
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = Json.read(response.body(), JsonNode.class);
      if (response.statusCode() / 100 != 2) {
        err.println("Error from server (" + body.path("reason").asText(String.valueOf(response.statusCode()))
            + "): " + body.path("message").asText(response.body()));
        return 1;
      }
      if ("json".equals(output)) {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
      } else {
        print(body, out);
      }
      out.flush();
      return 0;
    } finally {
      executor.shutdownNow();
    }
  }

  /** The plan for people: a node table, a step table, and what to apply with. */
  static void print(JsonNode plan, PrintWriter out) {
    String ns = plan.path("metadata").path("namespace").asText();
    String name = plan.path("metadata").path("name").asText();
    String rv = plan.path("resourceVersion").asText();
    out.println("DaemonSet " + ns + "/" + name + (plan.path("exists").asBoolean()
        ? ", planned against resourceVersion " + rv : " (new)"));
    String update = plan.path("updateRevision").asText();
    String running = plan.path("runningRevision").asText();
    out.println("Revision: " + update + (running.equals(update) ? "" : " (runs " + running + ")"));
    if (plan.hasNonNull("held")) {
      out.println("Held: " + plan.path("held").asText());
    }
    out.println();
    List<String[]> nodes = new ArrayList<>();
    nodes.add(new String[] {"NODE", "ACTION", "FROM", "TO"});
    plan.path("changes").forEach(c -> nodes.add(new String[] {c.path("node").asText(), c.path("action").asText(),
        c.path("fromRevision").asText("-"), c.path("toRevision").asText("-")}));
    table(nodes, out);
    out.println();
    List<String[]> steps = new ArrayList<>();
    steps.add(new String[] {"STEP", "CREATE", "DELETE", "NODES"});
    int i = 0;
    for (JsonNode s : plan.path("steps")) {
      List<String> touched = new ArrayList<>();
      s.path("delete").forEach(d -> touched.add("-" + d.path("node").asText()));
      s.path("create").forEach(c -> touched.add("+" + c.path("node").asText()));
      String list = touched.size() > 8 ? String.join(",", touched.subList(0, 8)) + ",… (" + touched.size() + ")"
          : String.join(",", touched);
      steps.add(new String[] {String.valueOf(++i), String.valueOf(s.path("create").size()),
          String.valueOf(s.path("delete").size()), list});
    }
    table(steps, out);
    JsonNode sum = plan.path("summary");
    out.println();
    out.println(sum.path("replace").asInt() + " to replace, " + sum.path("create").asInt() + " to create, "
        + sum.path("delete").asInt() + " to delete, in " + sum.path("steps").asInt() + " steps"
        + (plan.path("finished").asBoolean() ? "" : " (simulation cut short)") + ".");
    if (plan.path("exists").asBoolean()) {
      out.println("To apply only if nothing changed meanwhile, set metadata.resourceVersion: \"" + rv
          + "\" in the manifest.");
    }
  }

  private static void table(List<String[]> rows, PrintWriter out) {
    int[] widths = new int[rows.get(0).length];
    rows.forEach(r -> {
      for (int c = 0; c < r.length; c++) {
        widths[c] = Math.max(widths[c], r[c].length());
      }
    });
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < r.length; c++) {
        line.append(c == r.length - 1 ? r[c] : String.format("%-" + (widths[c] + 3) + "s", r[c]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
