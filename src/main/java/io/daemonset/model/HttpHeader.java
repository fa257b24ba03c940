package io.daemonset.model;

/** A header sent by an httpGet probe. */
public record HttpHeader(String name, String value) {}
