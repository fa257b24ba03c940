package io.daemonset.model;

import java.util.List;

/** A decoded object and the unknown or duplicate fields met on the way (empty under fieldValidation=Ignore). */
public record Decoded<T>(T value, List<DecodeProblem> problems) {

  /** The Warning header texts kube-apiserver sends under fieldValidation=Warn, one per problem. */
  public List<String> warnings() {
    return problems.stream().map(DecodeProblem::message).toList();
  }
}
