package io.daemonset.api.patch;

import static io.daemonset.api.patch.Fixtures.fluentd;
import static io.daemonset.api.patch.Fixtures.fluentdWithSidecar;
import static io.daemonset.api.patch.Fixtures.json;
import static io.daemonset.api.patch.Fixtures.node;
import static io.daemonset.api.patch.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StrategicMergePatchesTest {

  /** A patch applied to a document; {@code at} (a JSON pointer, "" for all) must then equal {@code expected}. */
  record Case(String name, PatchSchema schema, JsonNode original, JsonNode patch, String at, JsonNode expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case ds(String name, JsonNode original, String patch, String at, String expected) {
    return new Case(name, PatchSchema.DAEMONSET, original, json(patch), at, json(expected));
  }

  static final String CONTAINERS = "/spec/template/spec/containers";
  static final String POD = "/spec/template/spec";

  static Stream<Case> cases() {
    return Stream.of(
        new Case("kubectl apply: image bump with $setElementOrder and last-applied annotation", PatchSchema.DAEMONSET,
            fluentd(), parse(KubectlWire.APPLY_IMAGE_V17), CONTAINERS, json("""
                [{'name':'fluentd','image':'fluent/fluentd:v1.17-1','imagePullPolicy':'IfNotPresent','resources':{},
                  'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File'}]""")),
        new Case("kubectl apply: the annotation is added beside the existing one", PatchSchema.DAEMONSET,
            fluentd(), parse(KubectlWire.APPLY_IMAGE_V17), "/metadata/annotations/deprecated.daemonset.template.generation",
            json("'1'")),
        ds("apply adds a container after the live one", fluentd(), """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'fluentd'},{'name':'sidecar'}],
              'containers':[{'image':'busybox:1.36','name':'sidecar'}]}}}}""", CONTAINERS + "/1",
            "{'image':'busybox:1.36','name':'sidecar'}"),
        ds("$setElementOrder puts a new container first", fluentd(), """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'fluentd'}],
              'containers':[{'image':'busybox:1.36','name':'sidecar'}]}}}}""", CONTAINERS + "/0/name", "'sidecar'"),
        ds("apply removes a container with $patch: delete", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'fluentd'}],
              'containers':[{'$patch':'delete','name':'sidecar'}]}}}}""", CONTAINERS + "/1", "null"),
        ds("env merges by name; unordered, a new item goes before server-only ones (upstream mergeSortedSlice)",
            fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'containers':[{'name':'fluentd',
              'env':[{'name':'LEVEL','value':'debug'},{'name':'NEW','value':'1'}]}]}}}}""", CONTAINERS + "/0/env",
            "[{'name':'LEVEL','value':'debug'},{'name':'NEW','value':'1'},{'name':'ZONE','value':'a'}]"),
        ds("env item deleted by name", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'containers':[{'name':'fluentd','env':[{'$patch':'delete','name':'ZONE'}]}]}}}}""",
            CONTAINERS + "/0/env", "[{'name':'LEVEL','value':'info'}]"),
        ds("volumeMounts merge by mountPath", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'containers':[{'name':'fluentd',
              'volumeMounts':[{'mountPath':'/etc/fluent','name':'conf','readOnly':true}]}]}}}}""",
            CONTAINERS + "/0/volumeMounts",
            "[{'name':'varlog','mountPath':'/var/log'},{'name':'conf','mountPath':'/etc/fluent','readOnly':true}]"),
        ds("ports merge by containerPort", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'containers':[{'name':'fluentd',
              'ports':[{'containerPort':24224,'hostPort':24224},{'containerPort':9880}]}]}}}}""",
            CONTAINERS + "/0/ports",
            "[{'containerPort':24224,'protocol':'TCP','hostPort':24224},{'containerPort':9880}]"),
        ds("args are replaced, not merged", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'containers':[{'name':'fluentd','args':['-v']}]}}}}""",
            CONTAINERS + "/0/args", "['-v']"),
        ds("tolerations have no patch strategy upstream: replaced", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'tolerations':[{'operator':'Exists'}]}}}}""", POD + "/tolerations",
            "[{'operator':'Exists'}]"),
        ds("imagePullSecrets merge by name", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'imagePullSecrets':[{'name':'registry-b'}]}}}}""", POD + "/imagePullSecrets",
            "[{'name':'registry-b'},{'name':'registry-a'}]"),
        ds("$retainKeys on a volume swaps its source", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'volumes':[{'$retainKeys':['emptyDir','name'],'emptyDir':{},'name':'varlog'}]}}}}""",
            POD + "/volumes/0", "{'name':'varlog','emptyDir':{}}"),
        ds("$retainKeys on updateStrategy drops rollingUpdate", fluentd(), """
            {'spec':{'updateStrategy':{'$retainKeys':['type'],'type':'OnDelete'}}}""", "/spec/updateStrategy",
            "{'type':'OnDelete'}"),
        ds("kubectl rollout restart: template annotation added", fluentd(), KubectlWire.ROLLOUT_RESTART
                .replace('"', '\''), "/spec/template/metadata",
            "{'labels':{'name':'fluentd'},'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-27T17:29:25Z'}}"),
        ds("kubectl rollout undo: $patch replace swaps the whole template", restarted(), KubectlWire.ROLLOUT_UNDO
                .replace('"', '\''), "/spec/template", """
            {'metadata':{'labels':{'name':'fluentd'}},'spec':{'containers':[{'image':'fluent/fluentd:v1.16-1',
              'imagePullPolicy':'IfNotPresent','name':'fluentd','resources':{},
              'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File'}],
              'dnsPolicy':'ClusterFirst','nodeSelector':{'ssd':'true'},'restartPolicy':'Always',
              'schedulerName':'default-scheduler','securityContext':{},'terminationGracePeriodSeconds':30}}"""),
        ds("kubectl rollout undo with $patch last and Python spacing", restarted(),
            KubectlWire.ROLLOUT_UNDO_PYTHON_SPACING.replace('"', '\''), "/spec/template/metadata", """
            {'labels':{'name':'fluentd'},'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-27T17:29:25Z'}}"""),
        ds("rollout undo leaves the rest of the spec alone", restarted(), KubectlWire.ROLLOUT_UNDO.replace('"', '\''),
            "/spec/updateStrategy", "{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':0}}"),
        ds("$patch: delete on a map empties it", restarted(), """
            {'spec':{'template':{'metadata':{'annotations':{'$patch':'delete'}}}}}""", "/spec/template/metadata/annotations",
            "{}"),
        ds("$patch: replace on a list keeps only the patch items", fluentdWithSidecar(), """
            {'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}}}""",
            CONTAINERS, "[{'name':'only','image':'x'}]"),
        ds("null deletes a key", fluentd(), "{'spec':{'template':{'spec':{'nodeSelector':null}}}}", POD + "/nodeSelector",
            "null"),
        ds("maps merge key by key", fluentd(), "{'spec':{'template':{'spec':{'nodeSelector':{'zone':'a'}}}}}",
            POD + "/nodeSelector", "{'ssd':'true','zone':'a'}"),
        ds("finalizers: a primitive list merges as a set; b, c stay after a, as they were", fluentdWithSidecar(),
            "{'metadata':{'finalizers':['d','a']}}", "/metadata/finalizers", "['d','a','b','c']"),
        ds("$deleteFromPrimitiveList removes finalizers", fluentdWithSidecar(),
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}", "/metadata/finalizers", "['a','c']"),
        ds("kubectl-style finalizer edit: order, deletion and addition together", fluentdWithSidecar(), """
            {'metadata':{'$setElementOrder/finalizers':['x','a','c'],'$deleteFromPrimitiveList/finalizers':['b'],
              'finalizers':['x']}}""", "/metadata/finalizers", "['x','a','c']"),
        ds("ownerReferences merge by uid", fluentdWithSidecar(),
            "{'metadata':{'ownerReferences':[{'uid':'u2','controller':true}]}}", "/metadata/ownerReferences/1",
            "{'apiVersion':'v1','kind':'Owner','name':'o2','uid':'u2','controller':true}"),
        ds("status conditions merge by type", fluentdWithSidecar(),
            "{'status':{'conditions':[{'type':'Stalled','status':'True'}]}}", "/status/conditions",
            "[{'type':'Progressing','status':'True'},{'type':'Stalled','status':'True'}]"),
        ds("a server-only item keeps its place among ordered ones", threeContainers(), """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'}],
              'containers':[{'name':'c','image':'new'}]}}}}""", CONTAINERS,
            "[{'name':'b'},{'name':'c','image':'new'},{'name':'a'}]"),
        ds("design doc example: a server-only item that came first stays first", containers("B", "C", "A"), """
            {'spec':{'template':{'spec':{'containers':[{'name':'A','image':'2'},{'name':'B','image':'2'},
              {'name':'D'}]}}}}""", CONTAINERS,
            "[{'name':'C'},{'name':'A','image':'2'},{'name':'B','image':'2'},{'name':'D'}]"),
        ds("design doc example: $setElementOrder alone reorders", containers("B", "A"), """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'A'},{'name':'B'}]}}}}""", CONTAINERS,
            "[{'name':'A'},{'name':'B'}]"),
        ds("design doc example: $setElementOrder names unknown to the list are ignored", containers("A", "B"), """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'C'},{'name':'A'},{'name':'B'}],
              'containers':[{'name':'A','image':'2'},{'name':'B'}]}}}}""", CONTAINERS,
            "[{'name':'A','image':'2'},{'name':'B'}]"),
        ds("a list the object lacks is built from the patch, directives dropped", json("{'spec':{}}"), """
            {'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x','env':[{'name':'E','value':null}]},
              {'name':'gone','$patch':'delete'}]}}}}""", "/spec/template/spec/containers",
            "[{'name':'a','image':'x','env':[{'name':'E'}]}]"),
        ds("a value of another JSON type replaces", fluentd(), "{'spec':{'revisionHistoryLimit':{'odd':true}}}",
            "/spec/revisionHistoryLimit", "{'odd':true}"),
        ds("an empty patch changes nothing", fluentd(), "{}", "", fluentd().toString().replace('"', '\'')),
        new Case("kubectl label on a node: labels merge", PatchSchema.NODE, node(), parse(KubectlWire.LABEL_SSD_TRUE),
            "/metadata/labels", json("{'kubernetes.io/hostname':'node-1','kubernetes.io/os':'linux','ssd':'true'}")),
        new Case("node taints have no patch strategy upstream: replaced", PatchSchema.NODE, node(),
            json("{'spec':{'taints':[{'key':'gpu','value':'true','effect':'NoSchedule'}]}}"), "/spec/taints",
            json("[{'key':'gpu','value':'true','effect':'NoSchedule'}]")),
        new Case("node addresses merge by type", PatchSchema.NODE, node(),
            json("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.9'}]}}"), "/status/addresses",
            json("[{'type':'InternalIP','address':'10.0.0.9'},{'type':'Hostname','address':'node-1'}]")),
        new Case("pod conditions merge by type", PatchSchema.POD,
            json("{'status':{'conditions':[{'type':'Ready','status':'False'}]}}"),
            json("{'status':{'conditions':[{'type':'Initialized','status':'True'}]}}"), "/status/conditions",
            json("[{'type':'Initialized','status':'True'},{'type':'Ready','status':'False'}]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(Case c) {
    JsonNode original = c.original().deepCopy();
    JsonNode patch = c.patch().deepCopy();

    JsonNode result = StrategicMergePatches.apply(original, patch, c.schema());

    JsonNode actual = c.at().isEmpty() ? result : result.at(c.at());
    assertThat(actual.isMissingNode() ? json("null") : actual).isEqualTo(c.expected());
    assertThat(original).as("the target is not modified").isEqualTo(c.original());
    assertThat(patch).as("the patch is not modified").isEqualTo(c.patch());
    assertThat(result.toString()).as("no directive survives").doesNotContain("$patch", "$setElementOrder",
        "$retainKeys", "$deleteFromPrimitiveList");
  }

  /** A patch refused; the status code and message are what kube-apiserver would answer. */
  record Refusal(String name, String patch, int code, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("a list item without its merge key",
            "{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}", 422,
            "map: map[image:x] does not contain declared merge key: name"),
        new Refusal("an unknown $patch directive", "{'spec':{'$patch':'shuffle'}}", 422,
            "unknown patch type: shuffle in map: map[$patch:shuffle]"),
        new Refusal("$patch: merge on a list", "{'spec':{'template':{'spec':{'containers':[{'$patch':'merge'}]}}}}",
            422, "merging lists cannot yet be specified in the patch"),
        new Refusal("a key missing from $retainKeys", "{'spec':{'updateStrategy':{'$retainKeys':['type'],'x':1}}}",
            400, "invalid patch format of retainKeys"),
        new Refusal("$setElementOrder without a list name", "{'spec':{'$setElementOrder':[]}}", 400,
            "invalid patch format of setElementOrder list"),
        new Refusal("patch items out of $setElementOrder order", """
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],
              'containers':[{'name':'b'},{'name':'a'}]}}}}""", 422, "doesn't match $setElementOrder list"),
        new Refusal("a list of lists", "{'metadata':{'finalizers':[['a']]}}", 422, "lists of lists are not supported"),
        new Refusal("a body that is not an object", "['a']", 400, "invalid JSON document"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    assertThatThrownBy(() -> StrategicMergePatches.apply(fluentd(), json(r.patch()), PatchSchema.DAEMONSET))
        .isInstanceOfSatisfying(PatchException.class, e -> {
          assertThat(e.code()).isEqualTo(r.code());
          assertThat(e.getMessage()).contains(r.message());
        });
  }

  @Test
  void kubectlApplyResultIsTheLiveObjectWithTheNewImageAndAnnotation() {
    JsonNode result = StrategicMergePatches.apply(fluentd(), parse(KubectlWire.APPLY_IMAGE_V17), PatchSchema.DAEMONSET);

    JsonNode expected = fluentd();
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.at(CONTAINERS + "/0"))
        .put("image", "fluent/fluentd:v1.17-1");
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.at("/metadata/annotations"))
        .put("kubectl.kubernetes.io/last-applied-configuration",
            parse(KubectlWire.APPLY_IMAGE_V17).at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                .textValue());
    assertThat(result).isEqualTo(expected);
  }

  /** fluentd after `kubectl rollout restart` and an extra container env, the state `rollout undo` reverts. */
  static JsonNode restarted() {
    JsonNode ds = StrategicMergePatches.apply(fluentd(), parse(KubectlWire.ROLLOUT_RESTART), PatchSchema.DAEMONSET);
    return StrategicMergePatches.apply(ds, json("""
        {'spec':{'template':{'spec':{'containers':[{'name':'fluentd','image':'fluent/fluentd:v1.17-1',
          'env':[{'name':'X','value':'1'}]}]}}}}"""), PatchSchema.DAEMONSET);
  }

  static JsonNode containers(String... names) {
    var list = Nodes.F.arrayNode();
    for (String name : names) {
      list.addObject().put("name", name);
    }
    JsonNode ds = json("{'spec':{'template':{'spec':{}}}}");
    ((com.fasterxml.jackson.databind.node.ObjectNode) ds.at(POD)).set("containers", list);
    return ds;
  }

  static JsonNode threeContainers() {
    return json("{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c','image':'old'}]}}}}");
  }
}
