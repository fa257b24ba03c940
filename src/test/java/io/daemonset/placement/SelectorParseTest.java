package io.daemonset.placement;

import static io.daemonset.placement.Requirement.Operator.DOES_NOT_EXIST;
import static io.daemonset.placement.Requirement.Operator.DOUBLE_EQUALS;
import static io.daemonset.placement.Requirement.Operator.EQUALS;
import static io.daemonset.placement.Requirement.Operator.EXISTS;
import static io.daemonset.placement.Requirement.Operator.GREATER_THAN;
import static io.daemonset.placement.Requirement.Operator.IN;
import static io.daemonset.placement.Requirement.Operator.LESS_THAN;
import static io.daemonset.placement.Requirement.Operator.NOT_EQUALS;
import static io.daemonset.placement.Requirement.Operator.NOT_IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.placement.Requirement.Operator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Upstream staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go: the parsing and printing tests. */
class SelectorParseTest {

  static Requirement r(String key, Operator op, String... values) {
    return Requirement.of(key, op, values);
  }

  @ParameterizedTest(name = "TestSelectorParse/good \"{0}\"")
  @ValueSource(strings = {"x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"})
  void selectorParseGood(String query) {
    // Upstream: parses, and prints back as the query without spaces.
    assertThat(Selector.parse(query).toString()).isEqualTo(query.replace(" ", ""));
  }

  @ParameterizedTest(name = "TestSelectorParse/bad \"{0}\"")
  @ValueSource(strings = {"x=a||y=b", "x==a==b", "!x=a", "x<a"})
  void selectorParseBad(String query) {
    assertThatThrownBy(() -> Selector.parse(query)).isInstanceOf(SelectorParseException.class);
  }

  @Test
  void deterministicParse() { // TestDeterministicParse
    assertThat(Selector.parse("x=a,a=x")).isEqualTo(Selector.parse("a=x,x=a"));
    assertThat(Selector.parse("x=a,a=x").toString()).isEqualTo("a=x,x=a");
  }

  /** TestSetSelectorParser: input, expected requirements (null: only validity is checked), valid. */
  static Stream<Arguments> setSelectorParser() {
    return Stream.of(
        Arguments.of("", List.of(), true),
        Arguments.of("\rx", List.of(r("x", EXISTS)), true),
        Arguments.of("this-is-a-dns.domain.com/key-with-dash",
            List.of(r("this-is-a-dns.domain.com/key-with-dash", EXISTS)), true),
        Arguments.of("this-is-another-dns.domain.com/key-with-dash in (so,what)",
            List.of(r("this-is-another-dns.domain.com/key-with-dash", IN, "so", "what")), true),
        Arguments.of("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
            List.of(r("0.1.2.domain/99", NOT_IN, "10.10.100.1", "tick.tack.clock")), true),
        Arguments.of("foo  in\t (abc)", List.of(r("foo", IN, "abc")), true),
        Arguments.of("x notin\n (abc)", List.of(r("x", NOT_IN, "abc")), true),
        Arguments.of("x  notin\t\t\t(abc,def)", List.of(r("x", NOT_IN, "abc", "def")), true),
        Arguments.of("x in (abc,def)", List.of(r("x", IN, "abc", "def")), true),
        Arguments.of("x in (abc,)", List.of(r("x", IN, "abc", "")), true),
        Arguments.of("x in ()", List.of(r("x", IN, "")), true),
        Arguments.of("x notin (abc,,def),bar,z in (),w",
            List.of(r("bar", EXISTS), r("w", EXISTS), r("x", NOT_IN, "abc", "", "def"), r("z", IN, "")), true),
        Arguments.of("x,y in (a)", List.of(r("x", EXISTS), r("y", IN, "a")), true),
        Arguments.of("x=a", List.of(r("x", EQUALS, "a")), true),
        Arguments.of("x>1", List.of(r("x", GREATER_THAN, "1")), true),
        Arguments.of("x<7", List.of(r("x", LESS_THAN, "7")), true),
        Arguments.of("x=a,y!=b", List.of(r("x", EQUALS, "a"), r("y", NOT_EQUALS, "b")), true),
        Arguments.of("x=a,y!=b,z in (h,i,j)",
            List.of(r("x", EQUALS, "a"), r("y", NOT_EQUALS, "b"), r("z", IN, "h", "i", "j")), true),
        Arguments.of("x=a||y=b", null, false),
        Arguments.of("x,,y", null, false),
        Arguments.of(",x,y", null, false),
        Arguments.of("x nott in (y)", null, false),
        Arguments.of("x notin ( )", List.of(r("x", NOT_IN, "")), true),
        Arguments.of("x notin (, a)", List.of(r("x", NOT_IN, "", "a")), true),
        Arguments.of("a in (xyz),", null, false),
        Arguments.of("a in (xyz)b notin ()", null, false),
        Arguments.of("a ", List.of(r("a", EXISTS)), true),
        Arguments.of("a in (x,y,notin, z,in)", List.of(r("a", IN, "in", "notin", "x", "y", "z")), true),
        Arguments.of("a in (xyz abc)", null, false),
        Arguments.of("a notin(", null, false),
        Arguments.of("a (", null, false),
        Arguments.of("(", null, false));
  }

  @ParameterizedTest(name = "TestSetSelectorParser/\"{0}\" valid={2}")
  @MethodSource("setSelectorParser")
  void setSelectorParser(String query, List<Requirement> expected, boolean valid) {
    if (!valid) {
      assertThatThrownBy(() -> Selector.parse(query)).isInstanceOf(SelectorParseException.class);
      return;
    }
    assertThat(Selector.parse(query)).isEqualTo(Selector.of(expected));
  }

  /** Where the parser stops and what it says, in upstream's words plus the position. */
  static Stream<Arguments> errorMessages() {
    return Stream.of(
        Arguments.of("x==a==b", "found '==', expected: ',' or 'end of string' (at position 4)"),
        Arguments.of("!x=a", "found '=', expected: ',' or 'end of string' (at position 2)"),
        Arguments.of("(", "found '(', expected: !, identifier, or 'end of string' (at position 0)"),
        Arguments.of("a in (xyz),", "found '', expected: identifier after ',' (at position 11)"),
        Arguments.of("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')' (at position 10)"),
        Arguments.of("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"
            + " (at position 2)"),
        Arguments.of("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators,"
            + " the value must be an integer (at position 0)"),
        Arguments.of("env=prod,a/b/c", "unable to parse requirement: key: Invalid value: \"a/b/c\": a qualified name"
            + " must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric"
            + " character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is"
            + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g."
            + " 'example.com/MyName') (at position 9)"),
        Arguments.of("x=a b", "found 'b', expected: ',' or 'end of string' (at position 4)"));
  }

  @ParameterizedTest(name = "parse error \"{0}\"")
  @MethodSource("errorMessages")
  void errorMessages(String query, String message) {
    assertThatThrownBy(() -> Selector.parse(query)).isInstanceOf(SelectorParseException.class).hasMessage(message);
  }

  /** TestToString: requirements print in query syntax, values sorted. */
  static Stream<Arguments> toStringCases() {
    return Stream.of(
        Arguments.of(List.of(r("x", IN, "abc", "def"), r("y", NOT_IN, "jkl"), r("z", EXISTS)),
            "x in (abc,def),y notin (jkl),z"),
        Arguments.of(List.of(r("x", NOT_IN, "abc", "def"), r("y", NOT_EQUALS, "jkl"), r("z", DOES_NOT_EXIST)),
            "x notin (abc,def),y!=jkl,!z"),
        Arguments.of(List.of(r("x", NOT_IN, "abc"), r("y", IN, "jkl", "mno"), r("z", NOT_IN, "")),
            "x notin (abc),y in (jkl,mno),z notin ()"),
        Arguments.of(List.of(r("x", EQUALS, "abc"), r("y", DOUBLE_EQUALS, "jkl"), r("z", NOT_EQUALS, "a"),
            r("z", EXISTS)), "x=abc,y==jkl,z!=a,z"),
        Arguments.of(List.of(r("x", GREATER_THAN, "2"), r("y", LESS_THAN, "8"), r("z", EXISTS)), "x>2,y<8,z"));
  }

  @ParameterizedTest(name = "TestToString/{1}")
  @MethodSource("toStringCases")
  void toStringCases(List<Requirement> requirements, String expected) {
    Selector s = Selector.of(requirements);
    assertThat(s.toString()).isEqualTo(expected);
    assertThat(Selector.parse(expected)).isEqualTo(s);
  }

  /** TestRequirementConstructor: key, operator, values, and the error (null when valid). */
  static Stream<Arguments> requirementConstructor() {
    return Stream.of(
        Arguments.of("x1", IN, List.of(), "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"),
        Arguments.of("x2", NOT_IN, List.of(), "for 'in', 'notin' operators, values set can't be empty"),
        Arguments.of("x3", IN, List.of("foo"), null),
        Arguments.of("x4", NOT_IN, List.of("foo"), null),
        Arguments.of("x5", EQUALS, List.of("foo", "bar"),
            "values: Invalid value: [bar, foo]: exact-match compatibility requires one single value"),
        Arguments.of("x6", EXISTS, List.of(), null),
        Arguments.of("x7", DOES_NOT_EXIST, List.of(), null),
        Arguments.of("x8", EXISTS, List.of("foo"), "values set must be empty for exists and does not exist"),
        Arguments.of("1foo", IN, List.of("bar"), null),
        Arguments.of("1234", IN, List.of("bar"), null),
        Arguments.of("x11", GREATER_THAN, List.of("1"), null),
        Arguments.of("x12", LESS_THAN, List.of("6"), null),
        Arguments.of("x13", GREATER_THAN, List.of(), "for 'Gt', 'Lt' operators, exactly one value is required"),
        Arguments.of("x14", GREATER_THAN, List.of("bar"),
            "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer"),
        Arguments.of("x15", LESS_THAN, List.of("bar"), "for 'Gt', 'Lt' operators, the value must be an integer"),
        Arguments.of("a".repeat(254), EXISTS, List.of(), "name part must be no more than 63 characters"),
        Arguments.of("x16", EQUALS, List.of("a b"), "values[0][x16]: Invalid value: \"a b\": a valid label must be"),
        Arguments.of("x17", EQUALS, List.of("v".repeat(64)), "must be no more than 63 characters"),
        Arguments.of("Example.com/x", EXISTS, List.of(), "prefix part a lowercase RFC 1123 subdomain"),
        Arguments.of("/x", EXISTS, List.of(), "prefix part must be non-empty"),
        Arguments.of("x18", null, List.of(), "operator: Unsupported value"));
  }

  @ParameterizedTest(name = "TestRequirementConstructor/{0} {1} {2}")
  @MethodSource("requirementConstructor")
  void requirementConstructor(String key, Operator op, List<String> values, String error) {
    if (error == null) {
      assertThat(new Requirement(key, op, values).key()).isEqualTo(key);
    } else {
      assertThatThrownBy(() -> new Requirement(key, op, values))
          .isInstanceOf(SelectorParseException.class).hasMessageContaining(error);
    }
  }
}
