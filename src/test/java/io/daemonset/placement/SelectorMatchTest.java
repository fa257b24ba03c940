package io.daemonset.placement;

import static io.daemonset.placement.Requirement.Operator.DOES_NOT_EXIST;
import static io.daemonset.placement.Requirement.Operator.EXISTS;
import static io.daemonset.placement.Requirement.Operator.GREATER_THAN;
import static io.daemonset.placement.Requirement.Operator.IN;
import static io.daemonset.placement.Requirement.Operator.NOT_IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.model.LabelSelector;
import io.daemonset.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream labels/selector_test.go matching tests, and apimachinery/pkg/apis/meta/v1/helpers_test.go
 * TestLabelSelectorAsSelector for {@link Selector#fromLabelSelector}.
 */
class SelectorMatchTest {

  static final Map<String, String> LABELSET = Map.of("foo", "bar", "baz", "blah");

  /** TestSelectorMatches: expectMatch / expectNoMatch. */
  static Stream<Arguments> selectorMatches() {
    return Stream.of(
        Arguments.of("", Map.of("x", "y"), true),
        Arguments.of("x=y", Map.of("x", "y"), true),
        Arguments.of("x=y,z=w", Map.of("x", "y", "z", "w"), true),
        Arguments.of("x!=y,z!=w", Map.of("x", "z", "z", "a"), true),
        Arguments.of("notin=in", Map.of("notin", "in"), true),
        Arguments.of("x", Map.of("x", "z"), true),
        Arguments.of("!x", Map.of("y", "z"), true),
        Arguments.of("x>1", Map.of("x", "2"), true),
        Arguments.of("x<1", Map.of("x", "0"), true),
        Arguments.of("x=z", Map.of(), false),
        Arguments.of("x=y", Map.of("x", "z"), false),
        Arguments.of("x=y,z=w", Map.of("x", "w", "z", "w"), false),
        Arguments.of("x!=y,z!=w", Map.of("x", "z", "z", "w"), false),
        Arguments.of("x", Map.of("y", "z"), false),
        Arguments.of("!x", Map.of("x", "z"), false),
        Arguments.of("x>1", Map.of("x", "0"), false),
        Arguments.of("x<1", Map.of("x", "2"), false),
        Arguments.of("foo=bar", LABELSET, true),
        Arguments.of("baz=blah", LABELSET, true),
        Arguments.of("foo=bar,baz=blah", LABELSET, true),
        Arguments.of("foo=blah", LABELSET, false),
        Arguments.of("baz=bar", LABELSET, false),
        Arguments.of("foo=bar,foobar=bar,baz=blah", LABELSET, false),
        Arguments.of("env in (a,b)", Map.of("env", "b"), true),
        Arguments.of("env notin (a)", Map.of(), true),
        Arguments.of("x==y", Map.of("x", "y"), true));
  }

  @ParameterizedTest(name = "TestSelectorMatches/\"{0}\" on {1} = {2}")
  @MethodSource("selectorMatches")
  void selectorMatches(String query, Map<String, String> labels, boolean match) {
    assertThat(Selector.parse(query).matches(labels)).isEqualTo(match);
  }

  /** TestRequirementSelectorMatching. */
  static Stream<Arguments> requirementSelectorMatching() {
    Map<String, String> xy = Map.of("x", "foo", "y", "baz");
    return Stream.of(
        Arguments.of(xy, List.of(Requirement.of("x", IN, "foo"), Requirement.of("y", NOT_IN, "alpha")), true),
        Arguments.of(xy, List.of(Requirement.of("x", IN, "foo"), Requirement.of("y", IN, "alpha")), false),
        Arguments.of(Map.of("y", ""), List.of(Requirement.of("x", NOT_IN, ""), Requirement.of("y", EXISTS)), true),
        Arguments.of(Map.of("y", ""), List.of(Requirement.of("x", DOES_NOT_EXIST), Requirement.of("y", EXISTS)), true),
        Arguments.of(Map.of("y", ""), List.of(Requirement.of("x", NOT_IN, ""), Requirement.of("y", DOES_NOT_EXIST)),
            false),
        Arguments.of(Map.of("y", "baz"), List.of(Requirement.of("x", IN, "")), false),
        Arguments.of(Map.of("z", "2"), List.of(Requirement.of("z", GREATER_THAN, "1")), true),
        Arguments.of(Map.of("z", "v2"), List.of(Requirement.of("z", GREATER_THAN, "1")), false));
  }

  @ParameterizedTest(name = "TestRequirementSelectorMatching/{1} on {0} = {2}")
  @MethodSource("requirementSelectorMatching")
  void requirementSelectorMatching(Map<String, String> labels, List<Requirement> requirements, boolean match) {
    assertThat(Selector.of(requirements).matches(labels)).isEqualTo(match);
  }

  @Test
  void everythingAndNothing() { // TestEverything, TestSetIsEmpty, labels.Nothing()
    assertThat(Selector.everything().matches(Map.of("x", "y"))).isTrue();
    assertThat(Selector.everything().isEmpty()).isTrue();
    assertThat(Selector.parse("").isEmpty()).isTrue();
    assertThat(Selector.nothing().matches(Map.of())).isFalse();
    assertThat(Selector.nothing().isEmpty()).isFalse();
    assertThat(Selector.parse("x").isEmpty()).isFalse();
  }

  static LabelSelectorRequirement expr(String key, String op, String... values) {
    return new LabelSelectorRequirement(key, op, List.of(values));
  }

  /** TestLabelSelectorAsSelector: input, expected query (null selects nothing), error. */
  static Stream<Arguments> labelSelectorAsSelector() {
    Map<String, String> matchLabels = Map.of("foo", "bar");
    List<LabelSelectorRequirement> matchExpressions = List.of(expr("baz", "In", "qux", "norf"));
    return Stream.of(
        Arguments.of("nil selector selects nothing", null, null, null),
        Arguments.of("empty selector selects everything", new LabelSelector(null, null), "", null),
        Arguments.of("matchLabels", new LabelSelector(matchLabels, null), "foo=bar", null),
        Arguments.of("matchExpressions", new LabelSelector(null, matchExpressions), "baz in (norf,qux)", null),
        Arguments.of("both", new LabelSelector(matchLabels, matchExpressions), "baz in (norf,qux),foo=bar", null),
        Arguments.of("Exists with values", new LabelSelector(null, List.of(expr("baz", "Exists", "qux", "norf"))),
            null, "values set must be empty for exists and does not exist"),
        Arguments.of("NotIn and DoesNotExist", new LabelSelector(null,
            List.of(expr("a", "NotIn", "x"), expr("b", "DoesNotExist"))), "a notin (x),!b", null),
        Arguments.of("Gt is not a label selector operator", new LabelSelector(null, List.of(expr("a", "Gt", "1"))),
            null, "\"Gt\" is not a valid label selector operator"),
        Arguments.of("invalid matchLabels value", new LabelSelector(Map.of("a", "b c"), null), null,
            "values[0][a]: Invalid value: \"b c\""));
  }

  @ParameterizedTest(name = "TestLabelSelectorAsSelector/{0}")
  @MethodSource("labelSelectorAsSelector")
  void labelSelectorAsSelector(String name, LabelSelector in, String query, String error) {
    if (error != null) {
      assertThatThrownBy(() -> Selector.fromLabelSelector(in))
          .isInstanceOf(SelectorParseException.class).hasMessageContaining(error);
    } else if (query == null) {
      assertThat(Selector.fromLabelSelector(in)).isEqualTo(Selector.nothing());
    } else {
      assertThat(Selector.fromLabelSelector(in)).isEqualTo(Selector.parse(query));
    }
  }

  /** TestSetMatches: matchLabels (upstream SelectorFromSet) against a label set. */
  static Stream<Arguments> setMatches() {
    return Stream.of(
        Arguments.of(Map.of(), true),
        Arguments.of(Map.of("foo", "bar"), true),
        Arguments.of(Map.of("baz", "blah"), true),
        Arguments.of(Map.of("foo", "bar", "baz", "blah"), true),
        Arguments.of(Map.of("foo", "bar", "foobar", "bar", "baz", "blah"), false));
  }

  @ParameterizedTest(name = "TestSetMatches/{0} = {1}")
  @MethodSource("setMatches")
  void setMatches(Map<String, String> set, boolean match) {
    assertThat(Selector.fromLabelSelector(LabelSelector.ofLabels(set)).matches(LABELSET)).isEqualTo(match);
  }
}
