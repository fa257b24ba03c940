package io.daemonset.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One term of a label selector: a key, an operator and values, as upstream's {@code labels.Requirement}.
 *
 * <p>Invariant: every instance is valid as upstream's {@code NewRequirement} defines it (key is a qualified name,
 * values are label values, the operator has the number of values it needs). Values are kept sorted and distinct,
 * which is how the query parser produces them and how they print; matching does not depend on their order.
 */
public record Requirement(String key, Operator operator, List<String> values) {

  /** Operators, with the text upstream uses for them ({@code selection.Operator}). */
  public enum Operator {
    IN("in"), NOT_IN("notin"), EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="),
    EXISTS("exists"), DOES_NOT_EXIST("!"), GREATER_THAN("gt"), LESS_THAN("lt");

    private final String text;

    Operator(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public Requirement {
    values = values == null ? List.of() : List.copyOf(new TreeSet<>(values));
    List<String> problems = problems(key, operator, values);
    if (!problems.isEmpty()) {
      throw new SelectorParseException(String.join("; ", problems));
    }
  }

  public static Requirement of(String key, Operator operator, String... values) {
    return new Requirement(key, operator, List.of(values));
  }

  /**
   * What upstream's {@code NewRequirement} would reject, each as {@code field: Invalid value: "v": why}. Node
   * affinity uses this to report a bad term without failing the other terms.
   */
  public static List<String> problems(String key, Operator operator, List<String> values) {
    List<String> problems = new ArrayList<>();
    String k = key == null ? "" : key;
    for (String e : LabelSyntax.keyErrors(k)) {
      problems.add("key: Invalid value: \"" + k + "\": " + e);
    }
    int count = values.size();
    if (operator == null) {
      problems.add("operator: Unsupported value: null: supported values: \"in\", \"notin\", \"=\", \"==\", \"!=\", "
          + "\"exists\", \"!\", \"gt\", \"lt\"");
      return problems;
    }
    switch (operator) {
      case IN, NOT_IN -> {
        if (count == 0) {
          problems.add("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
        }
      }
      case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
        if (count != 1) {
          problems.add("values: Invalid value: " + values + ": exact-match compatibility requires one single value");
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (count != 0) {
          problems.add("values: Invalid value: " + values + ": values set must be empty for exists and does not exist");
        }
      }
      case GREATER_THAN, LESS_THAN -> {
        if (count != 1) {
          problems.add("values: Invalid value: " + values + ": for 'Gt', 'Lt' operators, exactly one value is required");
        }
        for (int i = 0; i < count; i++) {
          if (parseInt64(values.get(i)) == null) {
            problems.add("values[" + i + "]: Invalid value: \"" + values.get(i)
                + "\": for 'Gt', 'Lt' operators, the value must be an integer");
          }
        }
      }
    }
    for (int i = 0; i < count; i++) {
      for (String e : LabelSyntax.valueErrors(values.get(i))) {
        problems.add("values[" + i + "][" + k + "]: Invalid value: \"" + values.get(i) + "\": " + e);
      }
    }
    return problems;
  }

  /** Upstream {@code Requirement.Matches}: a missing key satisfies only NotIn, != and DoesNotExist. */
  public boolean matches(Map<String, String> labels) {
    boolean has = labels.containsKey(key);
    String value = labels.get(key);
    return switch (operator) {
      case IN, EQUALS, DOUBLE_EQUALS -> has && values.contains(value);
      case NOT_IN, NOT_EQUALS -> !has || !values.contains(value);
      case EXISTS -> has;
      case DOES_NOT_EXIST -> !has;
      case GREATER_THAN, LESS_THAN -> has && compares(value);
    };
  }

  // Gt/Lt compare integers; a label that is not an int64 never matches (upstream logs and returns false).
  private boolean compares(String labelValue) {
    Long actual = parseInt64(labelValue);
    Long bound = parseInt64(values.get(0));
    if (actual == null || bound == null) {
      return false;
    }
    return operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
  }

  static Long parseInt64(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Query syntax, as upstream prints it: {@code !k}, {@code k}, {@code k=v}, {@code k in (a,b)}, {@code k>1}. */
  @Override
  public String toString() {
    String joined = String.join(",", values);
    return switch (operator) {
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
      case EQUALS -> key + "=" + joined;
      case DOUBLE_EQUALS -> key + "==" + joined;
      case NOT_EQUALS -> key + "!=" + joined;
      case IN -> key + " in (" + joined + ")";
      case NOT_IN -> key + " notin (" + joined + ")";
      case GREATER_THAN -> key + ">" + joined;
      case LESS_THAN -> key + "<" + joined;
    };
  }
}
