package io.daemonset.model;

import java.util.List;

/** A list of objects of one kind (DaemonSetList, NodeList, PodList, …). */
public record KubeList<T>(String apiVersion, String kind, ListMeta metadata, List<T> items) {}
