package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** meta.k8s.io/v1 Table: what kubectl get prints when it asks with as=Table. */
public record Table(String apiVersion, String kind, ListMeta metadata, List<Column> columnDefinitions, List<Row> rows) {

  public static Table of(ListMeta metadata, List<Column> columns, List<Row> rows) {
    return new Table("meta.k8s.io/v1", "Table", metadata, columns, rows);
  }

  /** priority 0 columns always show; priority 1 only with -o wide. */
  public record Column(String name, String type, String format, String description, int priority) {}

  /** cells line up with the columns; object is the PartialObjectMetadata or full object. */
  public record Row(List<Object> cells, JsonNode object) {}
}
