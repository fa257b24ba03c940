package io.daemonset.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What an event did to one object: an API object the view serves (pods, nodes, daemonsets,
 * controllerrevisions) or a DaemonSet's binding of a pod ({@value #BINDINGS}: the decision to run a pod on a
 * node, before and after the node admits it).
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param fields the fields that changed, for MODIFIED
 * @param object the object after the change (before it, for DELETED); not exported
 */
public record Change(String resource, String namespace, String name, String type, List<FieldChange> fields,
                     @JsonIgnore Object object) {
  public static final String BINDINGS = "podbindings";

  public Change {
    fields = List.copyOf(fields);
  }
}
