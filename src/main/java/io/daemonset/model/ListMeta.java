package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** List metadata; continue is a Java keyword, hence the property name. */
public record ListMeta(String resourceVersion, @JsonProperty("continue") String continueToken, Long remainingItemCount) {}
