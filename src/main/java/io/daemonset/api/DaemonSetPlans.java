package io.daemonset.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Decoded;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.daemonset.RolloutPreview;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetValidation;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.node.Fleet;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code POST /apis/apps/v1/namespaces/NS/daemonsets/NAME/plan} with a DaemonSet manifest: what applying it would do
 * (as {@code nomad job plan}), computed by {@link RolloutPreview} on this member's view of the DaemonSet, its pods
 * and the nodes, changing nothing. The answer names the DaemonSet's resourceVersion it was planned against: applying
 * the manifest with that {@code metadata.resourceVersion} is refused (409) if anything changed meanwhile. A manifest
 * that would be refused on apply is refused here the same way (a Status naming the field).
 */
final class DaemonSetPlans {
  static final String API_VERSION = "daemonset.io/v1alpha1";
  static final String KIND = "DaemonSetPlan";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private DaemonSetPlans() {}

  static HttpResponse plan(ObjectStore store, Clock clock, Call call, String body) {
    if (!"create".equals(call.req().verb())) {
      throw ReadOnlyRoutes.methodNotAllowed(call, "only POST is supported on daemonsets/plan");
    }
    Bodies.requireObjectMediaType(call);
    Decoded<DaemonSet> decoded = Bodies.decode(body, DaemonSet.class, call.fieldValidation(), DaemonSet.KIND,
        call.apiVersion());
    DaemonSet requested = decoded.value();
    ObjectMeta meta = Writes.checkIdentity(call, requested.apiVersion(), requested.kind(), requested.metadata());
    DaemonSet admitted = DaemonSets.admit(requested.withMetadata(meta), call.apiVersion());
    String name = call.req().name();
    ObjectIndex index = store.index();
    DaemonSetState state = index.daemonSetState(call.namespace(), name).orElse(DaemonSetState.EMPTY);
    // Refused as the apply would be: an update's rules against the stored object, else a create's.
    if (state.exists()) {
      admitted = DaemonSets.keepServerFields(admitted, state.daemonSet());
      Writes.requireValid(call, name, DaemonSetValidation.validateUpdate(admitted, state.daemonSet(),
          call.apiVersion()));
    } else {
      Writes.requireValid(call, name, DaemonSetValidation.validate(admitted));
    }
    String resourceVersion = index.get(ObjectIndex.DAEMONSETS, call.namespace(), name)
        .map(o -> String.valueOf(o.resourceVersion())).orElse("");
    RolloutPreview.Preview preview = RolloutPreview.of(state, admitted, fleet(index), clock.instant());
    return Writes.respond(call, 200, render(call.namespace(), name, resourceVersion, state.exists(), preview),
        decoded.warnings());
  }

  /** The nodes as this member's view has them: the plan's fleet (the directory's entries are the same nodes). */
  private static Fleet fleet(ObjectIndex index) {
    Map<String, Node> nodes = new TreeMap<>();
    for (StoredObject o : index.list(ObjectIndex.NODES)) {
      if (o.object() instanceof Node node) {
        nodes.put(node.name(), node);
      }
    }
    return Fleet.complete(nodes);
  }

  static ObjectNode render(String namespace, String name, String resourceVersion, boolean exists,
                           RolloutPreview.Preview p) {
    ObjectNode out = F.objectNode();
    out.put("apiVersion", API_VERSION);
    out.put("kind", KIND);
    ObjectNode meta = out.putObject("metadata");
    meta.put("namespace", namespace);
    meta.put("name", name);
    out.put("resourceVersion", resourceVersion);
    out.put("exists", exists);
    out.put("updateRevision", p.updateRevision());
    out.put("runningRevision", p.runningRevision());
    out.put("finished", p.finished());
    if (p.held() != null) {
      out.put("held", p.held());
    }
    ObjectNode summary = out.putObject("summary");
    summary.put("create", p.changes().stream().filter(c -> c.action().equals("Create")).count());
    summary.put("delete", p.changes().stream().filter(c -> c.action().equals("Delete")).count());
    summary.put("replace", p.changes().stream().filter(c -> c.action().equals("Replace")).count());
    summary.put("steps", p.steps().size());
    ArrayNode changes = out.putArray("changes");
    for (RolloutPreview.NodeChange c : p.changes()) {
      ObjectNode o = changes.addObject();
      o.put("node", c.node());
      o.put("action", c.action());
      if (c.fromRevision() != null) {
        o.put("fromRevision", c.fromRevision());
      }
      if (c.toRevision() != null) {
        o.put("toRevision", c.toRevision());
      }
    }
    ArrayNode steps = out.putArray("steps");
    for (RolloutPreview.Step s : p.steps()) {
      ObjectNode o = steps.addObject();
      ArrayNode create = o.putArray("create");
      s.create().forEach(c -> create.addObject().put("node", c.node()).put("revision", c.revision()));
      ArrayNode delete = o.putArray("delete");
      s.delete().forEach(d -> {
        ObjectNode x = delete.addObject().put("node", d.node()).put("pod", d.pod());
        if (d.revision() != null) {
          x.put("revision", d.revision());
        }
        x.put("reason", d.reason());
      });
    }
    return out;
  }
}
