package io.daemonset.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Containers as upstream's validateContainers / validateContainerCommon check them, with the same paths and texts. */
final class ContainerValidation {
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final List<String> PROPAGATIONS = List.of("Bidirectional", "HostToContainer", "None");

  private ContainerValidation() {}

  /** Regular containers: at least one, names unique, probes checked, host ports unique across all of them. */
  static List<FieldError> containers(List<Container> containers, Set<String> volumes, boolean isPod, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (containers == null || containers.isEmpty()) {
      errs.add(FieldError.required(path, ""));
      return errs;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      FieldPath p = path.index(i);
      errs.addAll(common(c, volumes, isPod, p));
      String name = c.name() == null ? "" : c.name(); // Go's zero value: a missing name is ""
      if (!names.add(name)) {
        errs.add(FieldError.duplicate(p.child("name"), name));
      }
      errs.addAll(ProbeValidation.liveness(c.livenessProbe(), p.child("livenessProbe")));
      errs.addAll(ProbeValidation.readiness(c.readinessProbe(), p.child("readinessProbe")));
      errs.addAll(ProbeValidation.liveness(c.startupProbe(), p.child("startupProbe")));
    }
    errs.addAll(hostPortConflicts(containers, path));
    return errs;
  }

  /** Init containers: names unique among regular and init containers; no probes (they run to completion). */
  static List<FieldError> initContainers(List<Container> inits, List<Container> regular, Set<String> volumes,
                                         boolean isPod, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (inits == null) {
      return errs;
    }
    Set<String> names = new HashSet<>();
    (regular == null ? List.<Container>of() : regular).forEach(c -> names.add(c.name()));
    for (int i = 0; i < inits.size(); i++) {
      Container c = inits.get(i);
      FieldPath p = path.index(i);
      errs.addAll(common(c, volumes, isPod, p));
      if (names.contains(c.name())) {
        errs.add(FieldError.duplicate(p.child("name"), c.name()));
      } else if (MetaValidation.notEmpty(c.name())) {
        names.add(c.name());
      }
      errs.addAll(hostPortConflicts(List.of(c), path));
      String why = "may not be set for init containers without restartPolicy=Always";
      if (c.livenessProbe() != null) {
        errs.add(FieldError.forbidden(p.child("livenessProbe"), why));
      }
      if (c.readinessProbe() != null) {
        errs.add(FieldError.forbidden(p.child("readinessProbe"), why));
      }
      if (c.startupProbe() != null) {
        errs.add(FieldError.forbidden(p.child("startupProbe"), why));
      }
    }
    return errs;
  }

  private static List<FieldError> common(Container c, Set<String> volumes, boolean isPod, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (!MetaValidation.notEmpty(c.name())) {
      errs.add(FieldError.required(p.child("name"), ""));
    } else {
      NameRules.dns1123Label(c.name()).forEach(m -> errs.add(FieldError.invalid(p.child("name"), c.name(), m)));
    }
    if (!MetaValidation.notEmpty(c.image())) {
      errs.add(FieldError.required(p.child("image"), ""));
    } else if (isPod && !c.image().equals(c.image().strip())) {
      errs.add(FieldError.invalid(p.child("image"), c.image(), "must not have leading or trailing whitespace"));
    }
    errs.addAll(oneOf(c.terminationMessagePolicy(), MESSAGE_POLICIES, p.child("terminationMessagePolicy")));
    errs.addAll(ports(c.ports(), p.child("ports")));
    errs.addAll(env(c.env(), p.child("env")));
    errs.addAll(volumeMounts(c, volumes, p.child("volumeMounts")));
    errs.addAll(oneOf(c.imagePullPolicy(), PULL_POLICIES, p.child("imagePullPolicy")));
    errs.addAll(ResourceValidation.requirements(c.resources(), p.child("resources")));
    return errs;
  }

  /** Required when empty, NotSupported when not one of the values (upstream's enum checks). */
  static List<FieldError> oneOf(String value, List<String> supported, FieldPath path) {
    if (value == null || value.isEmpty()) {
      return List.of(FieldError.required(path, ""));
    }
    return supported.contains(value) ? List.of() : List.of(FieldError.notSupported(path, value, supported));
  }

  private static List<FieldError> ports(List<ContainerPort> ports, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; ports != null && i < ports.size(); i++) {
      ContainerPort port = ports.get(i);
      FieldPath p = path.index(i);
      if (MetaValidation.notEmpty(port.name())) {
        List<String> msgs = NameRules.portName(port.name());
        msgs.forEach(m -> errs.add(FieldError.invalid(p.child("name"), port.name(), m)));
        if (msgs.isEmpty() && !names.add(port.name())) {
          errs.add(FieldError.duplicate(p.child("name"), port.name()));
        }
      }
      if (port.containerPort() == null || port.containerPort() == 0) {
        errs.add(FieldError.required(p.child("containerPort"), ""));
      } else {
        NameRules.portNumber(port.containerPort())
            .forEach(m -> errs.add(FieldError.invalid(p.child("containerPort"), port.containerPort(), m)));
      }
      if (port.hostPort() != null && port.hostPort() != 0) {
        NameRules.portNumber(port.hostPort())
            .forEach(m -> errs.add(FieldError.invalid(p.child("hostPort"), port.hostPort(), m)));
      }
      if (port.protocol() == null || port.protocol().isEmpty()) {
        errs.add(FieldError.required(p.child("protocol"), ""));
      } else if (!PROTOCOLS.contains(port.protocol())) {
        errs.add(FieldError.notSupported(p.child("protocol"), port.protocol(), PROTOCOLS));
      }
    }
    return errs;
  }

  private static List<FieldError> env(List<EnvVar> vars, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; vars != null && i < vars.size(); i++) {
      EnvVar v = vars.get(i);
      FieldPath p = path.index(i).child("name");
      if (!MetaValidation.notEmpty(v.name())) {
        errs.add(FieldError.required(p, ""));
      } else {
        NameRules.envVarName(v.name()).forEach(m -> errs.add(FieldError.invalid(p, v.name(), m)));
      }
    }
    return errs;
  }

  private static List<FieldError> volumeMounts(Container c, Set<String> volumes, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> mountPoints = new HashSet<>();
    List<VolumeMount> mounts = c.volumeMounts() == null ? List.of() : c.volumeMounts();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      FieldPath p = path.index(i);
      if (!MetaValidation.notEmpty(m.name())) {
        errs.add(FieldError.required(p.child("name"), ""));
      }
      if (!volumes.contains(m.name())) {
        errs.add(FieldError.notFound(p.child("name"), m.name() == null ? "" : m.name()));
      }
      if (!MetaValidation.notEmpty(m.mountPath())) {
        errs.add(FieldError.required(p.child("mountPath"), ""));
      }
      if (!mountPoints.add(m.mountPath())) {
        errs.add(FieldError.invalid(p.child("mountPath"), m.mountPath(), "must be unique"));
      }
      if (MetaValidation.notEmpty(m.subPath())) {
        errs.addAll(PodSpecValidation.localDescendingPath(m.subPath(), path.child("subPath")));
      }
      if (m.mountPropagation() != null) {
        // upstream quirk kept: these two paths hang off volumeMounts, not off the mount's index
        if (!PROPAGATIONS.contains(m.mountPropagation())) {
          errs.add(FieldError.notSupported(path.child("mountPropagation"), m.mountPropagation(), PROPAGATIONS));
        } else if (m.mountPropagation().equals("Bidirectional") && !privileged(c)) {
          errs.add(FieldError.forbidden(path.child("mountPropagation"),
              "Bidirectional mount propagation is available only to privileged containers"));
        }
      }
    }
    return errs;
  }

  private static boolean privileged(Container c) {
    return c.securityContext() != null && c.securityContext().path("privileged").asBoolean(false);
  }

  /** upstream AccumulateUniqueHostPorts: protocol/hostIP/hostPort may be claimed once. */
  private static List<FieldError> hostPortConflicts(List<Container> containers, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int ci = 0; ci < containers.size(); ci++) {
      List<ContainerPort> ports = containers.get(ci).ports() == null ? List.of() : containers.get(ci).ports();
      for (int pi = 0; pi < ports.size(); pi++) {
        ContainerPort port = ports.get(pi);
        if (port.hostPort() == null || port.hostPort() == 0) {
          continue;
        }
        String key = (port.protocol() == null ? "" : port.protocol()) + "/"
            + (port.hostIP() == null ? "" : port.hostIP()) + "/" + port.hostPort();
        if (!seen.add(key)) {
          errs.add(FieldError.duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key));
        }
      }
    }
    return errs;
  }
}
