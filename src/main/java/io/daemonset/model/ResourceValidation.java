package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Container resource requirements as upstream's validateResourceRequirements checks them: names, non-negative
 * quantities, requests within limits (equal to them for resources that cannot be overcommitted), and hugepages
 * only beside cpu or memory. Quantities print in upstream's canonical form.
 */
final class ResourceValidation {
  private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

  private ResourceValidation() {}

  static List<FieldError> requirements(ResourceRequirements r, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (r == null) {
      return errs;
    }
    FieldPath limPath = path.child("limits");
    FieldPath reqPath = path.child("requests");
    Map<String, Quantity> limits = new TreeMap<>(r.limitsOrEmpty());
    boolean cpuOrMemory = false;
    boolean hugePages = false;
    for (Map.Entry<String, Quantity> e : limits.entrySet()) {
      FieldPath p = limPath.key(e.getKey());
      errs.addAll(resourceName(e.getKey(), p));
      errs.addAll(quantityValue(e.getKey(), e.getValue(), p));
      cpuOrMemory |= e.getKey().equals("cpu") || e.getKey().equals("memory");
      hugePages |= isHugePages(e.getKey());
    }
    for (Map.Entry<String, Quantity> e : new TreeMap<>(r.requestsOrEmpty()).entrySet()) {
      String name = e.getKey();
      Quantity request = e.getValue();
      FieldPath p = reqPath.key(name);
      errs.addAll(resourceName(name, p));
      errs.addAll(quantityValue(name, request, p));
      Quantity limit = limits.get(name);
      if (limit != null && request != null) {
        if (request.compareTo(limit) != 0 && !overcommitAllowed(name)) {
          errs.add(FieldError.invalid(reqPath, request.canonical(),
              "must be equal to " + name + " limit of " + limit.canonical()));
        } else if (request.compareTo(limit) > 0) {
          errs.add(FieldError.invalid(reqPath, request.canonical(),
              "must be less than or equal to " + name + " limit of " + limit.canonical()));
        }
      } else if (limit == null && !overcommitAllowed(name)) {
        errs.add(FieldError.required(limPath, "Limit must be set for non overcommitable resources"));
      }
      cpuOrMemory |= name.equals("cpu") || name.equals("memory");
      hugePages |= isHugePages(name);
    }
    if (hugePages && !cpuOrMemory) {
      errs.add(FieldError.forbidden(path, "HugePages require cpu or memory"));
    }
    return errs;
  }

  /** upstream validateContainerResourceName: a standard container resource, or a qualified extended resource. */
  private static List<FieldError> resourceName(String name, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    NameRules.labelKey(name).forEach(m -> errs.add(FieldError.invalid(path, name, m)));
    if (!errs.isEmpty()) {
      return errs;
    }
    if (!name.contains("/")) {
      if (!STANDARD_CONTAINER_RESOURCES.contains(name) && !isHugePages(name)) {
        errs.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
      }
    } else if (!isNative(name) && !isExtended(name)) {
      errs.add(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
    }
    return errs;
  }

  /** upstream ValidateResourceQuantityValue: non-negative, and whole numbers for extended resources. */
  private static List<FieldError> quantityValue(String name, Quantity q, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (q == null) {
      return errs;
    }
    if (q.isNegative()) {
      errs.add(FieldError.invalid(path, q.canonical(), MetaValidation.NEGATIVE));
    }
    if (isExtended(name) && q.value().stripTrailingZeros().scale() > 0) {
      errs.add(FieldError.invalid(path, q, "must be an integer"));
    }
    return errs;
  }

  private static boolean isHugePages(String name) {
    return name.startsWith("hugepages-");
  }

  private static boolean isNative(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  private static boolean overcommitAllowed(String name) {
    return isNative(name) && !isHugePages(name);
  }

  private static boolean isExtended(String name) {
    return !isNative(name) && !name.startsWith("requests.") && NameRules.labelKey("requests." + name).isEmpty();
  }
}
