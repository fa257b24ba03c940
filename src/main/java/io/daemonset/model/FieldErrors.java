package io.daemonset.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns field errors into what kube-apiserver answers: one message, and a 422 Status with one cause per error. */
public final class FieldErrors {
  private FieldErrors() {}

  /**
   * upstream's aggregate of an ErrorList: identical messages collapse, one error prints bare, several print as
   * "[a, b]".
   */
  public static String aggregate(List<FieldError> errors) {
    Set<String> messages = new LinkedHashSet<>();
    errors.forEach(e -> messages.add(e.toString()));
    return messages.size() == 1 ? messages.iterator().next() : "[" + String.join(", ", messages) + "]";
  }

  /**
   * The message of upstream's NewInvalid: {@code DaemonSet.apps "x" is invalid: <errors>}; a core kind (empty
   * group) prints without a group: {@code Node "n1" is invalid: ...}.
   */
  public static String message(String kind, String group, String name, List<FieldError> errors) {
    String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
    String head = qualified + " " + BadValues.quote(name == null ? "" : name) + " is invalid";
    return errors.isEmpty() ? head : head + ": " + aggregate(errors);
  }

  /** The 422 Invalid Status; causes keep every error, in order, with its reason, body and field. */
  public static Status toStatus(String kind, String group, String name, List<FieldError> errors) {
    List<Status.StatusCause> causes = new ArrayList<>();
    for (FieldError e : errors) {
      causes.add(new Status.StatusCause(e.type().code(), e.body(), e.field()));
    }
    Status.StatusDetails details = new Status.StatusDetails(name, group == null || group.isEmpty() ? null : group, kind, null, causes, null);
    return Status.failure(422, "Invalid", message(kind, group, name, errors), details);
  }
}
