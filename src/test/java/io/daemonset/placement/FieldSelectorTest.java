package io.daemonset.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.model.Node;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Upstream staging/src/k8s.io/apimachinery/pkg/fields/selector_test.go, plus the object field sets. */
class FieldSelectorTest {

  @ParameterizedTest(name = "TestSelectorParse/good \"{0}\"")
  @ValueSource(strings = {"x=a,y=b,z=c", "", "x!=a,y=b", "x=a||y\\=b", "x=a\\=\\=b"})
  void selectorParseGood(String query) {
    assertThat(FieldSelector.parse(query).toString()).isEqualTo(query);
  }

  @ParameterizedTest(name = "TestSelectorParse/bad \"{0}\"")
  @ValueSource(strings = {"x=a||y=b", "x==a==b", "x=a,b", "x in (a)", "x in (a,b,c)", "x", "k=\\", "k=\\a"})
  void selectorParseBad(String query) {
    assertThatThrownBy(() -> FieldSelector.parse(query)).isInstanceOf(SelectorParseException.class);
  }

  static Stream<Arguments> errorMessages() {
    return Stream.of(
        Arguments.of("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b' (at position 4)"),
        Arguments.of("x==a==b", "invalid field selector: unescaped character in value: = (at position 4)"),
        Arguments.of("k=\\a", "invalid field selector: invalid escape sequence: \\a (at position 2)"));
  }

  @ParameterizedTest(name = "parse error \"{0}\"")
  @MethodSource("errorMessages")
  void errorMessages(String query, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(query)).hasMessage(message);
  }

  @Test
  void deterministicParse() { // TestDeterministicParse
    assertThat(FieldSelector.parse("x=a,a=x")).isEqualTo(FieldSelector.parse("a=x,x=a"));
  }

  /** TestSplitTerms. */
  static Stream<Arguments> splitTerms() {
    return Stream.of(
        Arguments.of("a", List.of("a")),
        Arguments.of("a=avalue", List.of("a=avalue")),
        Arguments.of("a=avalue,b=bvalue", List.of("a=avalue", "b=bvalue")),
        Arguments.of("a=avalue,b==bvalue,c!=cvalue", List.of("a=avalue", "b==bvalue", "c!=cvalue")),
        Arguments.of("", List.of()),
        Arguments.of("a=a,", List.of("a=a", "")),
        Arguments.of(",a=a", List.of("", "a=a")),
        Arguments.of("k=\\,,k2=v2", List.of("k=\\,", "k2=v2")),
        Arguments.of("k=\\\\,k2=v2", List.of("k=\\\\", "k2=v2")),
        Arguments.of("k=\\\\\\,,k2=v2", List.of("k=\\\\\\,", "k2=v2")),
        Arguments.of("k=\\a\\b\\", List.of("k=\\a\\b\\")),
        Arguments.of("k=\\", List.of("k=\\")),
        Arguments.of("함=수,목=록", List.of("함=수", "목=록")));
  }

  @ParameterizedTest(name = "TestSplitTerms/\"{0}\"")
  @MethodSource("splitTerms")
  void splitTerms(String query, List<String> terms) {
    assertThat(FieldSelector.splitTerms(query)).isEqualTo(terms);
  }

  /** TestEscapeValue: value and its escaped form, both ways. */
  static Stream<Arguments> escapeValue() {
    return Stream.of(Arguments.of("", ""), Arguments.of("a", "a"), Arguments.of("=", "\\="),
        Arguments.of(",", "\\,"), Arguments.of("\\", "\\\\"), Arguments.of("\\=\\,\\", "\\\\\\=\\\\\\,\\\\"));
  }

  @ParameterizedTest(name = "TestEscapeValue/\"{0}\"")
  @MethodSource("escapeValue")
  void escapeValue(String value, String escaped) {
    assertThat(FieldSelector.escape(value)).isEqualTo(escaped);
    assertThat(FieldSelector.unescape(escaped, 0)).isEqualTo(value);
  }

  static final Map<String, String> FIELDSET = Map.of("foo", "bar", "baz", "blah", "complex", "=value\\,\\");

  /** TestSelectorMatches. */
  static Stream<Arguments> selectorMatches() {
    return Stream.of(
        Arguments.of("", Map.of("x", "y"), true),
        Arguments.of("x=y", Map.of("x", "y"), true),
        Arguments.of("x=y,z=w", Map.of("x", "y", "z", "w"), true),
        Arguments.of("x!=y,z!=w", Map.of("x", "z", "z", "a"), true),
        Arguments.of("notin=in", Map.of("notin", "in"), true),
        Arguments.of("x=y", Map.of("x", "z"), false),
        Arguments.of("x=y,z=w", Map.of("x", "w", "z", "w"), false),
        Arguments.of("x!=y,z!=w", Map.of("x", "z", "z", "w"), false),
        Arguments.of("foo=bar", FIELDSET, true),
        Arguments.of("baz=blah", FIELDSET, true),
        Arguments.of("foo=bar,baz=blah", FIELDSET, true),
        Arguments.of("foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\", FIELDSET, true),
        Arguments.of("foo=blah", FIELDSET, false),
        Arguments.of("baz=bar", FIELDSET, false),
        Arguments.of("foo=bar,foobar=bar,baz=blah", FIELDSET, false),
        Arguments.of("x==y", Map.of("x", "y"), true),
        Arguments.of("missing=", Map.of(), true),
        Arguments.of("missing!=", Map.of(), false));
  }

  @ParameterizedTest(name = "TestSelectorMatches/\"{0}\" on {1} = {2}")
  @MethodSource("selectorMatches")
  void selectorMatches(String query, Map<String, String> fields, boolean match) {
    assertThat(FieldSelector.parse(query).matches(fields)).isEqualTo(match);
  }

  /** TestRequiresExactMatch (as far as terms parsed from a query reach) and fieldNames. */
  static Stream<Arguments> requiresExactMatch() {
    return Stream.of(
        Arguments.of("", "test", Optional.empty()),
        Arguments.of("a=b", "test", Optional.empty()),
        Arguments.of("test=b", "test", Optional.of("b")),
        Arguments.of("test=", "test", Optional.of("")),
        Arguments.of("test!=b", "test", Optional.empty()),
        Arguments.of("a=,test=b", "test", Optional.of("b")));
  }

  @ParameterizedTest(name = "TestRequiresExactMatch/\"{0}\" {1}")
  @MethodSource("requiresExactMatch")
  void requiresExactMatch(String query, String field, Optional<String> value) {
    assertThat(FieldSelector.parse(query).requiresExactMatch(field)).isEqualTo(value);
  }

  @Test
  void fieldNames() {
    assertThat(FieldSelector.parse("spec.nodeName=n1,metadata.name!=x,spec.nodeName!=n2").fieldNames())
        .containsExactly("metadata.name", "spec.nodeName");
  }

  static Stream<Arguments> objectFields() {
    Pod pod = new Pod("v1", "Pod", ObjectMeta.named("kube-system", "agent-x"), Fixtures.spec().withNodeName("n1"),
        new PodStatus("Running", null, null, null, null, "10.0.0.7", null, null));
    Node cordoned = Fixtures.node("n1", null).withSpec(new NodeSpec(null, null, true, null));
    return Stream.of(
        Arguments.of("pod metadata.name", FieldSelector.podFields(pod), "metadata.name=agent-x", true),
        Arguments.of("pod metadata.namespace", FieldSelector.podFields(pod), "metadata.namespace=kube-system", true),
        Arguments.of("pod spec.nodeName", FieldSelector.podFields(pod), "spec.nodeName=n1", true),
        Arguments.of("pod spec.nodeName other", FieldSelector.podFields(pod), "spec.nodeName=n2", false),
        Arguments.of("pod status.phase", FieldSelector.podFields(pod), "status.phase!=Running", false),
        Arguments.of("pod spec.hostNetwork defaults to false", FieldSelector.podFields(pod), "spec.hostNetwork=false",
            true),
        Arguments.of("pod without status has empty phase", FieldSelector.podFields(pod.withStatus(null)),
            "status.phase=", true),
        Arguments.of("node spec.unschedulable", FieldSelector.nodeFields(cordoned), "spec.unschedulable=true", true),
        Arguments.of("node metadata.name", FieldSelector.nodeFields(cordoned), "metadata.name=n1", true),
        Arguments.of("node without spec is schedulable", FieldSelector.nodeFields(cordoned.withSpec(null)),
            "spec.unschedulable=false", true),
        Arguments.of("daemonset metadata", FieldSelector.daemonSetFields(Fixtures.ds(Fixtures.spec())),
            "metadata.name=foo,metadata.namespace=default", true));
  }

  @ParameterizedTest(name = "fields/{0}")
  @MethodSource("objectFields")
  void objectFields(String name, Map<String, String> fields, String query, boolean match) {
    assertThat(FieldSelector.parse(query).matches(fields)).isEqualTo(match);
  }
}
