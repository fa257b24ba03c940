package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Status;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a server-side apply decided: the object to store, or the conflicts that stop it (409). */
public sealed interface ApplyResult {

  /**
   * The object to store, managedFields included. {@code changed} is false when it equals the live object in
   * every field, managedFields too: then nothing needs to be written.
   */
  record Applied(JsonNode object, boolean changed) implements ApplyResult {}

  /** A field another manager owns and the apply would change; {@code manager} is printed as upstream prints it. */
  record Conflict(String manager, String field) {}

  /** The apply is refused: without force it would change fields other managers own. */
  record Conflicted(List<Conflict> conflicts) implements ApplyResult {
    public Conflicted {
      conflicts = conflicts.stream().sorted(Comparator.comparing(Conflict::manager).thenComparing(Conflict::field))
          .toList();
    }

    /** kube-apiserver's wording, e.g. {@code Apply failed with 1 conflict: conflict with "x": .spec.replicas}. */
    public String message() {
      if (conflicts.size() == 1) {
        Conflict c = conflicts.get(0);
        return "Apply failed with 1 conflict: conflict with " + c.manager() + ": " + c.field();
      }
      Map<String, List<String>> byManager = conflicts.stream().collect(Collectors.groupingBy(Conflict::manager,
          TreeMap::new, Collectors.mapping(Conflict::field, Collectors.toList())));
      StringBuilder sb = new StringBuilder("Apply failed with " + conflicts.size() + " conflicts: ");
      String sep = "";
      for (Map.Entry<String, List<String>> e : byManager.entrySet()) {
        sb.append(sep).append("conflicts with ").append(e.getKey()).append(':');
        e.getValue().forEach(field -> sb.append("\n- ").append(field));
        sep = "\n";
      }
      return sb.toString();
    }

    /** The 409 Conflict Status, one FieldManagerConflict cause per field, as kubectl expects it. */
    public PatchException toException() {
      List<Status.StatusCause> causes = conflicts.stream()
          .map(c -> new Status.StatusCause("FieldManagerConflict", "conflict with " + c.manager(), c.field()))
          .toList();
      return new PatchException(409, "Conflict", message(), message(),
          new Status.StatusDetails(null, null, null, null, causes, null));
    }
  }
}
