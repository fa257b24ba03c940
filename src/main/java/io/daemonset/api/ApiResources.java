package io.daemonset.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resources this API serves, as kube-apiserver describes them in discovery: one entry per
 * group/version/resource. Discovery, OpenAPI and the resource routes all read this one table.
 * <p>Deliberate difference: extensions/v1beta1 daemonsets carry no short name and no "all" category, so that
 * {@code kubectl get ds} and {@code kubectl get all} resolve to apps/v1 alone, without kubectl's
 * "short name ds could also match lower priority resource daemonsets.extensions" warning.
 */
public final class ApiResources {
  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  public static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  /** A subresource (status, log): kind is what it returns. */
  public record Subresource(String name, String kind, List<String> verbs) {}

  /** One served resource. group "" is the core group (/api/v1). */
  public record Resource(String group, String version, String name, String singularName, String kind,
                         boolean namespaced, List<String> verbs, List<String> shortNames, List<String> categories,
                         List<Subresource> subresources) {

    public String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    public GroupResource groupResource() {
      return new GroupResource(group, name);
    }

    public Optional<Subresource> subresource(String sub) {
      return subresources.stream().filter(s -> s.name().equals(sub)).findFirst();
    }
  }

  /** A served group/version, in the order discovery lists them (the order kubectl prefers). */
  public record GroupVersion(String group, String version) {
    public String path() {
      return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    public String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  public static final GroupVersion CORE_V1 = new GroupVersion("", "v1");
  public static final GroupVersion APPS_V1 = new GroupVersion("apps", "v1");
  public static final GroupVersion EXTENSIONS_V1BETA1 = new GroupVersion("extensions", "v1beta1");
  public static final GroupVersion COORDINATION_V1 = new GroupVersion("coordination.k8s.io", "v1");
  public static final List<GroupVersion> GROUP_VERSIONS =
      List.of(CORE_V1, APPS_V1, EXTENSIONS_V1BETA1, COORDINATION_V1);

  /** Node leases (the agents' heartbeats) are kept in memory by their Node entity: get, create and update only. */
  public static final List<String> LEASE_VERBS = List.of("create", "get", "update");

  /** Namespaces: no deletecollection, as upstream. */
  public static final List<String> NAMESPACE_VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");

  public static final List<Resource> ALL = List.of(
      new Resource("", "v1", "configmaps", "configmap", "ConfigMap", true, ALL_VERBS, List.of("cm"), List.of(),
          List.of()),
      new Resource("", "v1", "events", "event", "Event", true, ALL_VERBS, List.of("ev"), List.of(), List.of()),
      new Resource("", "v1", "namespaces", "namespace", "Namespace", false, NAMESPACE_VERBS, List.of("ns"),
          List.of(), List.of(new Subresource("finalize", "Namespace", List.of("update")),
              new Subresource("status", "Namespace", STATUS_VERBS))),
      new Resource("", "v1", "nodes", "node", "Node", false, ALL_VERBS, List.of("no"), List.of(),
          List.of(new Subresource("status", "Node", STATUS_VERBS))),
      new Resource("", "v1", "pods", "pod", "Pod", true, ALL_VERBS, List.of("po"), List.of("all"),
          List.of(new Subresource("exec", "PodExecOptions", List.of("create", "get")),
              new Subresource("log", "Pod", List.of("get")), new Subresource("status", "Pod", STATUS_VERBS))),
      new Resource("", "v1", "secrets", "secret", "Secret", true, ALL_VERBS, List.of(), List.of(), List.of()),
      new Resource("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, ALL_VERBS, List.of("sa"),
          List.of(), List.of()),
      new Resource("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, ALL_VERBS, List.of("ds"),
          List.of("all"), List.of(new Subresource("status", "DaemonSet", STATUS_VERBS),
              // Ours (issue 11): a plan before apply, as nomad job plan.
              new Subresource("plan", "DaemonSetPlan", List.of("create")))),
      new Resource("apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision", true, ALL_VERBS,
          List.of(), List.of(), List.of()),
      new Resource("extensions", "v1beta1", "daemonsets", "daemonset", "DaemonSet", true, ALL_VERBS, List.of(),
          List.of(), List.of(new Subresource("status", "DaemonSet", STATUS_VERBS))),
      new Resource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, LEASE_VERBS, List.of(), List.of(),
          List.of()));

  private ApiResources() {}

  public static List<Resource> in(GroupVersion gv) {
    return ALL.stream().filter(r -> r.group().equals(gv.group()) && r.version().equals(gv.version())).toList();
  }

  public static Optional<Resource> find(String group, String version, String resource) {
    return ALL.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version) && r.name().equals(resource))
        .findFirst();
  }

  public static Optional<GroupVersion> groupVersion(String group, String version) {
    return GROUP_VERSIONS.stream().filter(gv -> gv.group().equals(group) && gv.version().equals(version)).findFirst();
  }

  /** Served groups (not core) with their versions, preferred first. */
  public static Map<String, List<GroupVersion>> groups() {
    Map<String, List<GroupVersion>> groups = new LinkedHashMap<>();
    for (GroupVersion gv : GROUP_VERSIONS) {
      if (!gv.group().isEmpty()) {
        groups.computeIfAbsent(gv.group(), g -> new java.util.ArrayList<>()).add(gv);
      }
    }
    return groups;
  }
}
