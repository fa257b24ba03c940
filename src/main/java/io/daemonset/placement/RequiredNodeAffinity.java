package io.daemonset.placement;

import io.daemonset.model.Node;
import io.daemonset.model.NodeSelector;
import io.daemonset.model.NodeSelectorRequirement;
import io.daemonset.model.NodeSelectorTerm;
import io.daemonset.model.PodSpec;
import io.daemonset.placement.Requirement.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Whether a node satisfies a pod's {@code nodeSelector} and required node affinity, as upstream's
 * {@code nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)}.
 *
 * <p>Semantics kept from upstream: the nodeSelector is plain equality on labels (not validated); the required
 * terms are ORed and each term ANDs its matchExpressions and matchFields; a term with neither is skipped, so an
 * empty or missing term list matches no node; a term with an invalid requirement (bad key or value, wrong value
 * count, unknown operator) never matches but does not stop the other terms; matchFields support only
 * {@code metadata.name} with In/NotIn and exactly one value, and are not checked against a node without a name.
 * Deviation: a matchFields key other than {@code metadata.name} makes the term invalid here (upstream API
 * validation rejects such pods; upstream's matcher would compare against an empty field).
 */
public final class RequiredNodeAffinity {

  /** The answer, with the reason for a mismatch (empty when it matches). */
  public record Result(boolean matches, String reason) {
    static final Result MATCH = new Result(true, "");
  }

  private static final String NAME_FIELD = "metadata.name";

  private RequiredNodeAffinity() {}

  public static Result match(PodSpec spec, Node node) {
    Map<String, String> labels = node.metadata() == null ? Map.of() : node.metadata().labelsOrEmpty();
    Map<String, String> missing = new TreeMap<>();
    spec.nodeSelectorOrEmpty().forEach((k, v) -> {
      if (!v.equals(labels.get(k))) {
        missing.put(k, v);
      }
    });
    if (!missing.isEmpty()) {
      return new Result(false, "node selector " + missing.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")) + " does not match");
    }
    NodeSelector required = spec.affinity() == null || spec.affinity().nodeAffinity() == null
        ? null : spec.affinity().nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution();
    return required == null ? Result.MATCH : matchTerms(required, node, labels);
  }

  private static Result matchTerms(NodeSelector required, Node node, Map<String, String> labels) {
    List<String> problems = new ArrayList<>();
    List<NodeSelectorTerm> terms = required.termsOrEmpty();
    for (int i = 0; i < terms.size(); i++) {
      NodeSelectorTerm term = terms.get(i);
      if (term == null || (term.matchExpressionsOrEmpty().isEmpty() && term.matchFieldsOrEmpty().isEmpty())) {
        continue;
      }
      String path = "nodeSelectorTerms[" + i + "]";
      List<String> termProblems = new ArrayList<>();
      Selector labelSelector = labelSelector(term.matchExpressionsOrEmpty(), path + ".matchExpressions", termProblems);
      List<String> nameNotIn = new ArrayList<>();
      List<String> nameIn = new ArrayList<>();
      fieldTerms(term.matchFieldsOrEmpty(), path + ".matchFields", termProblems, nameIn, nameNotIn);
      if (!termProblems.isEmpty()) {
        problems.addAll(termProblems);
        continue;
      }
      if (labelSelector.matches(labels) && fieldsMatch(node.name(), nameIn, nameNotIn)) {
        return Result.MATCH;
      }
    }
    String reason = "node affinity does not match";
    return new Result(false, problems.isEmpty() ? reason : reason + " (" + String.join("; ", problems) + ")");
  }

  private static Selector labelSelector(List<NodeSelectorRequirement> exprs, String path, List<String> problems) {
    List<Requirement> requirements = new ArrayList<>();
    for (int j = 0; j < exprs.size(); j++) {
      NodeSelectorRequirement expr = exprs.get(j);
      String at = path + "[" + j + "]";
      Operator op = switch (expr.operator() == null ? "" : expr.operator()) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        case "Gt" -> Operator.GREATER_THAN;
        case "Lt" -> Operator.LESS_THAN;
        default -> null;
      };
      if (op == null) {
        problems.add(at + ".operator: Unsupported value: \"" + expr.operator()
            + "\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\", \"Gt\", \"Lt\"");
        continue;
      }
      List<String> reqProblems = Requirement.problems(expr.key(), op, expr.valuesOrEmpty());
      if (reqProblems.isEmpty()) {
        requirements.add(new Requirement(expr.key(), op, expr.valuesOrEmpty()));
      } else {
        reqProblems.forEach(p -> problems.add(at + "." + p));
      }
    }
    return Selector.of(requirements);
  }

  private static void fieldTerms(List<NodeSelectorRequirement> fields, String path, List<String> problems,
      List<String> nameIn, List<String> nameNotIn) {
    for (int j = 0; j < fields.size(); j++) {
      NodeSelectorRequirement f = fields.get(j);
      String at = path + "[" + j + "]";
      String op = f.operator() == null ? "" : f.operator();
      if (!op.equals("In") && !op.equals("NotIn")) {
        problems.add(at + ".operator: Unsupported value: \"" + f.operator() + "\": supported values: \"In\", \"NotIn\"");
      } else if (f.valuesOrEmpty().size() != 1) {
        problems.add(at + ".values: Invalid value: " + f.valuesOrEmpty() + ": must have one element");
      } else if (!NAME_FIELD.equals(f.key())) {
        problems.add(at + ".key: Unsupported value: \"" + f.key() + "\": supported values: \"" + NAME_FIELD + "\"");
      } else {
        (op.equals("In") ? nameIn : nameNotIn).add(f.valuesOrEmpty().get(0));
      }
    }
  }

  // Upstream extracts no fields from a nameless node and then skips the field check altogether.
  private static boolean fieldsMatch(String nodeName, List<String> nameIn, List<String> nameNotIn) {
    if (nodeName == null || nodeName.isEmpty()) {
      return true;
    }
    return nameIn.stream().allMatch(nodeName::equals) && nameNotIn.stream().noneMatch(nodeName::equals);
  }
}
