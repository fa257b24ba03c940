package io.daemonset.model;

/** A reference to an object, as events and bindings carry it. */
public record ObjectReference(
    String apiVersion, String kind, String namespace, String name, String uid, String resourceVersion, String fieldPath) {}
