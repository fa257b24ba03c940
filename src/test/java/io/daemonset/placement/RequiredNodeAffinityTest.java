package io.daemonset.placement;

import static io.daemonset.placement.Fixtures.expressions;
import static io.daemonset.placement.Fixtures.fields;
import static io.daemonset.placement.Fixtures.node;
import static io.daemonset.placement.Fixtures.req;
import static io.daemonset.placement.Fixtures.required;
import static io.daemonset.placement.Fixtures.spec;
import static io.daemonset.placement.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Affinity;
import io.daemonset.model.NodeAffinity;
import io.daemonset.model.NodeSelectorTerm;
import io.daemonset.model.PodSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go, case by case. */
class RequiredNodeAffinityTest {

  record Case(String name, PodSpec pod, String nodeName, Map<String, String> labels, boolean matches, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, PodSpec pod, String nodeName, Map<String, String> labels, boolean matches) {
    return new Case(name, pod, nodeName, labels, matches, matches ? "" : "node affinity does not match");
  }

  static PodSpec affinity(NodeSelectorTerm... terms) {
    return withAffinity(spec(), terms);
  }

  static final Map<String, String> FOO_BAR = Map.of("foo", "bar");
  static final Map<String, String> GPU = Map.of("GPU", "NVIDIA-GRID-K1");

  static Stream<Case> podMatchesNodeSelectorAndAffinityTerms() {
    String t = "TestPodMatchesNodeSelectorAndAffinityTerms/";
    return Stream.of(
        c(t + "no selector", spec(), "", null, true),
        new Case(t + "missing labels", spec().withNodeSelector(FOO_BAR), "", null, false,
            "node selector foo=bar does not match"),
        c(t + "same labels", spec().withNodeSelector(FOO_BAR), "", FOO_BAR, true),
        c(t + "node labels are superset", spec().withNodeSelector(FOO_BAR), "", Map.of("foo", "bar", "baz", "blah"),
            true),
        new Case(t + "node labels are subset", spec().withNodeSelector(Map.of("foo", "bar", "baz", "blah")), "",
            FOO_BAR, false, "node selector baz=blah does not match"),
        c(t + "matchExpressions In matches", affinity(expressions(req("foo", "In", "bar", "value2"))), "", FOO_BAR,
            true),
        c(t + "matchExpressions Gt matches", affinity(expressions(req("kernel-version", "Gt", "0204"))), "",
            Map.of("kernel-version", "0206"), true),
        c(t + "matchExpressions NotIn matches", affinity(expressions(req("mem-type", "NotIn", "DDR", "DDR2"))), "",
            Map.of("mem-type", "DDR3"), true),
        c(t + "matchExpressions Exists matches", affinity(expressions(req("GPU", "Exists"))), "", GPU, true),
        c(t + "affinity that doesn't match node's labels", affinity(expressions(req("foo", "In", "value1", "value2"))),
            "", FOO_BAR, false),
        c(t + "nil []NodeSelectorTerm matches no node", spec().withAffinity(required(null)), "", FOO_BAR, false),
        c(t + "empty []NodeSelectorTerm matches no node", spec().withAffinity(required(List.of())), "", FOO_BAR,
            false),
        c(t + "empty MatchExpressions matches no node",
            affinity(new NodeSelectorTerm(List.of(), null)), "", FOO_BAR, false),
        c(t + "no Affinity", spec(), "", FOO_BAR, true),
        c(t + "Affinity but nil NodeSelector", spec().withAffinity(new Affinity(new NodeAffinity(null, null), null,
            null)), "", FOO_BAR, true),
        c(t + "multiple matchExpressions ANDed, matching",
            affinity(expressions(req("GPU", "Exists"), req("GPU", "NotIn", "AMD", "INTER"))), "", GPU, true),
        c(t + "multiple matchExpressions ANDed, not matching",
            affinity(expressions(req("GPU", "Exists"), req("GPU", "In", "AMD", "INTER"))), "", GPU, false),
        c(t + "multiple NodeSelectorTerms ORed", affinity(expressions(req("foo", "In", "bar", "value2")),
            expressions(req("diffkey", "In", "wrong", "value2"))), "", FOO_BAR, true),
        c(t + "Affinity and nodeSelector both satisfied",
            withAffinity(spec().withNodeSelector(FOO_BAR), expressions(req("foo", "Exists"))), "", FOO_BAR, true),
        new Case(t + "Affinity matches but nodeSelector is not satisfied",
            withAffinity(spec().withNodeSelector(FOO_BAR), expressions(req("foo", "Exists"))), "",
            Map.of("foo", "barrrrrr"), false, "node selector foo=bar does not match"),
        new Case(t + "invalid value in Affinity term", affinity(expressions(req("foo", "NotIn", "invalid value: ___@#$%^"))),
            "", FOO_BAR, false, "node affinity does not match (nodeSelectorTerms[0].matchExpressions[0].values[0][foo]:"
            + " Invalid value: \"invalid value: ___@#$%^\": a valid label must be an empty string or consist of"
            + " alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g."
            + " 'MyValue',  or 'my_value',  or '12345', regex used for validation is"
            + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'))"),
        c(t + "matchFields In matches", affinity(fields(req("metadata.name", "In", "node_1"))), "node_1", null, true),
        c(t + "matchFields In does not match", affinity(fields(req("metadata.name", "In", "node_1"))), "node_2", null,
            false),
        c(t + "two terms: matchFields does not match, but matchExpressions matches",
            affinity(fields(req("metadata.name", "In", "node_1")), expressions(req("foo", "In", "bar"))), "node_2",
            FOO_BAR, true),
        c(t + "one term: matchFields does not match, but matchExpressions matches",
            affinity(both(req("metadata.name", "In", "node_1"), req("foo", "In", "bar"))), "node_2", FOO_BAR, false),
        c(t + "one term: both matchFields and matchExpressions match",
            affinity(both(req("metadata.name", "In", "node_1"), req("foo", "In", "bar"))), "node_1", FOO_BAR, true),
        c(t + "two terms: both matchFields and matchExpressions do not match",
            affinity(fields(req("metadata.name", "In", "node_1")), expressions(req("foo", "In", "not-match-to-bar"))),
            "node_2", FOO_BAR, false));
  }

  static NodeSelectorTerm both(io.daemonset.model.NodeSelectorRequirement field,
      io.daemonset.model.NodeSelectorRequirement expr) {
    return new NodeSelectorTerm(List.of(expr), List.of(field));
  }

  static Stream<Case> nodeSelectorMatch() {
    String t = "TestNodeSelectorMatch/";
    PodSpec invalid = affinity(
        fields(req("metadata.name", "In", "host_1", "host_2")),
        both(req("metadata.name", "In", "host_1"), req("label_1", "In", "label_1_val")),
        expressions(req("invalid key", "In", "label_value")));
    String invalidReason = "node affinity does not match (nodeSelectorTerms[0].matchFields[0].values: Invalid value:"
        + " [host_1, host_2]: must have one element; nodeSelectorTerms[2].matchExpressions[0].key: Invalid value:"
        + " \"invalid key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and"
        + " end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
        + " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'))";
    return Stream.of(
        new Case(t + "invalid field selector and label selector: errors named when no term matches", invalid,
            "host_1", null, false, invalidReason),
        c(t + "invalid field selector and label selector: the valid term still matches (lazy errors)", invalid,
            "host_1", Map.of("label_1", "label_1_val"), true),
        c(t + "node matches field selector, but not labels",
            affinity(both(req("metadata.name", "In", "host_1"), req("label_1", "In", "label_1_val"))), "host_1", null,
            false),
        c(t + "node matches field selector and label selector",
            affinity(both(req("metadata.name", "In", "host_1"), req("label_1", "In", "label_1_val"))), "host_1",
            Map.of("label_1", "label_1_val"), true),
        c(t + "second term matches", affinity(expressions(req("label_1", "In", "label_1_val")),
            fields(req("metadata.name", "In", "host_1"))), "host_1", null, true),
        // TestNodeSelectorRequirementsAsSelector, as terms.
        new Case("TestNodeSelectorRequirementsAsSelector/Exists with values is invalid",
            affinity(expressions(req("foo", "Exists", "bar", "baz"))), "n", Map.of("foo", "x"), false,
            "node affinity does not match (nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: [bar, baz]:"
            + " values set must be empty for exists and does not exist)"),
        c("TestNodeSelectorRequirementsAsSelector/foo>1", affinity(expressions(req("foo", "Gt", "1"))), "n",
            Map.of("foo", "2"), true),
        c("TestNodeSelectorRequirementsAsSelector/bar<7", affinity(expressions(req("bar", "Lt", "7"))), "n",
            Map.of("bar", "7"), false),
        // Rules of the brief that upstream states in code rather than tests.
        c("matchFields NotIn metadata.name excludes that node", affinity(fields(req("metadata.name", "NotIn", "n1"))),
            "n1", null, false),
        c("matchFields NotIn metadata.name keeps other nodes", affinity(fields(req("metadata.name", "NotIn", "n1"))),
            "n2", null, true),
        new Case("matchFields supports In/NotIn only", affinity(fields(req("metadata.name", "Exists"))), "n1", null,
            false, "node affinity does not match (nodeSelectorTerms[0].matchFields[0].operator: Unsupported value:"
            + " \"Exists\": supported values: \"In\", \"NotIn\")"),
        new Case("matchFields supports metadata.name only", affinity(fields(req("spec.unschedulable", "In", "false"))),
            "n1", null, false, "node affinity does not match (nodeSelectorTerms[0].matchFields[0].key: Unsupported"
            + " value: \"spec.unschedulable\": supported values: \"metadata.name\")"),
        c("Gt on a non-integer label never matches", affinity(expressions(req("v", "Gt", "1"))), "n",
            Map.of("v", "two"), false),
        new Case("unknown operator makes the term invalid", affinity(expressions(req("foo", "Like", "bar"))), "n",
            FOO_BAR, false, "node affinity does not match (nodeSelectorTerms[0].matchExpressions[0].operator:"
            + " Unsupported value: \"Like\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\","
            + " \"Gt\", \"Lt\")"),
        c("matchFields are not checked on a node without a name (upstream extractNodeFields)",
            affinity(fields(req("metadata.name", "In", "node_1"))), "", null, true),
        c("DoesNotExist matches a node without the label", affinity(expressions(req("spot", "DoesNotExist"))), "n",
            FOO_BAR, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"podMatchesNodeSelectorAndAffinityTerms", "nodeSelectorMatch"})
  void match(Case c) {
    RequiredNodeAffinity.Result r = RequiredNodeAffinity.match(c.pod(), node(c.nodeName(), c.labels()));
    assertThat(r).isEqualTo(new RequiredNodeAffinity.Result(c.matches(), c.reason()));
  }
}
