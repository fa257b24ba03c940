package io.daemonset.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Defaulting and validation of the plain objects, as upstream's pkg/apis/core (defaults.go, validation.go) and the
 * Secret conversion that folds stringData into data. Pure functions.
 */
public final class PlainObjectRules {
  /** upstream's MaxSecretSize and the ConfigMap limit (1 MiB of data). */
  public static final int MAX_DATA_BYTES = 1024 * 1024;
  private static final Pattern CONFIG_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

  private PlainObjectRules() {}

  // ---- defaults ------------------------------------------------------------------------------------

  public static PlainObject defaults(PlainObject object) {
    if (object instanceof Namespace ns) {
      Namespace.Spec spec = ns.spec() == null || ns.spec().finalizers() == null
          ? new Namespace.Spec(List.of(Namespace.FINALIZER)) : ns.spec();
      Namespace.Status status = ns.status() == null || ns.status().phase() == null || ns.status().phase().isEmpty()
          ? new Namespace.Status(Namespace.ACTIVE, ns.status() == null ? null : ns.status().conditions())
          : ns.status();
      ObjectMeta meta = ns.metadata();
      if (meta != null && meta.name() != null) {
        Map<String, String> labels = new LinkedHashMap<>(meta.labelsOrEmpty());
        labels.put("kubernetes.io/metadata.name", meta.name()); // upstream's immutable name label
        meta = meta.withLabels(labels);
      }
      return new Namespace("v1", Namespace.KIND, meta, spec, status);
    } else if (object instanceof Secret s) {
      return foldStringData(new Secret("v1", Secret.KIND, s.metadata(), s.data(), s.stringData(),
          s.type() == null || s.type().isEmpty() ? Secret.OPAQUE : s.type(), s.immutable()));
    } else if (object instanceof ConfigMap c) {
      return new ConfigMap("v1", ConfigMap.KIND, c.metadata(), c.data(), c.binaryData(), c.immutable());
    } else if (object instanceof ServiceAccount sa) {
      return new ServiceAccount("v1", ServiceAccount.KIND, sa.metadata(), sa.secrets(), sa.imagePullSecrets(),
          sa.automountServiceAccountToken());
    }
    throw new IllegalArgumentException("not a plain object: " + object);
  }

  /** stringData entries overwrite data entries of the same key, base64-encoded; stringData itself is dropped. */
  static Secret foldStringData(Secret s) {
    if (s.stringData() == null || s.stringData().isEmpty()) {
      return new Secret(s.apiVersion(), s.kind(), s.metadata(), s.data(), null, s.type(), s.immutable());
    }
    Map<String, String> data = new TreeMap<>(s.dataOrEmpty());
    s.stringData().forEach((k, v) -> data.put(k, Base64.getEncoder()
        .encodeToString((v == null ? "" : v).getBytes(StandardCharsets.UTF_8))));
    return new Secret(s.apiVersion(), s.kind(), s.metadata(), data, null, s.type(), s.immutable());
  }

  // ---- validation ----------------------------------------------------------------------------------

  public static List<FieldError> validate(PlainObject object) {
    FieldPath meta = FieldPath.of("metadata");
    List<FieldError> errs = new ArrayList<>();
    if (object instanceof Namespace ns) {
      errs.addAll(MetaValidation.validateObjectMeta(ns.metadata(), false, NameRules::nameIsDnsLabel, meta));
      errs.addAll(finalizers(ns.specFinalizers()));
    } else if (object instanceof ConfigMap c) {
      errs.addAll(MetaValidation.validateObjectMeta(c.metadata(), true, MetaValidation.DNS_SUBDOMAIN_NAME, meta));
      errs.addAll(configMapData(c));
    } else if (object instanceof Secret s) {
      errs.addAll(MetaValidation.validateObjectMeta(s.metadata(), true, MetaValidation.DNS_SUBDOMAIN_NAME, meta));
      errs.addAll(secretData(s));
    } else if (object instanceof ServiceAccount sa) {
      errs.addAll(MetaValidation.validateObjectMeta(sa.metadata(), true, MetaValidation.DNS_SUBDOMAIN_NAME, meta));
    }
    return errs;
  }

  public static List<FieldError> validateUpdate(PlainObject updated, PlainObject old) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validateObjectMetaUpdate(updated.metadata(),
        old.metadata(), FieldPath.of("metadata")));
    List<FieldError> fresh = validate(updated);
    fresh.removeIf(e -> e.field().startsWith("metadata."));
    errs.addAll(fresh);
    if (updated instanceof ConfigMap c && old instanceof ConfigMap o && Boolean.TRUE.equals(o.immutable())) {
      immutableWhenSet(c.immutable(), c.data(), c.binaryData(), o.data(), o.binaryData(), errs);
    } else if (updated instanceof Secret s && old instanceof Secret o) {
      if (!Objects.equals(s.type(), o.type())) {
        errs.add(FieldError.invalid(FieldPath.of("type"), s.type(), "field is immutable"));
      }
      if (Boolean.TRUE.equals(o.immutable())) {
        immutableWhenSet(s.immutable(), s.data(), null, o.data(), null, errs);
      }
    }
    return errs;
  }

  private static void immutableWhenSet(Boolean immutable, Map<String, String> data, Map<String, String> binary,
                                       Map<String, String> oldData, Map<String, String> oldBinary,
                                       List<FieldError> errs) {
    String detail = "field is immutable when `immutable` is set";
    if (!Boolean.TRUE.equals(immutable)) {
      errs.add(FieldError.forbidden(FieldPath.of("immutable"), detail));
    }
    if (!Objects.equals(orEmpty(data), orEmpty(oldData))) {
      errs.add(FieldError.forbidden(FieldPath.of("data"), detail));
    }
    if (!Objects.equals(orEmpty(binary), orEmpty(oldBinary))) {
      errs.add(FieldError.forbidden(FieldPath.of("binaryData"), detail));
    }
  }

  private static List<FieldError> finalizers(List<String> finalizers) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < finalizers.size(); i++) {
      String f = finalizers.get(i);
      if (!f.equals(Namespace.FINALIZER)) {
        NameRules.labelKey(f).forEach(msg -> errs.add(FieldError.invalid(FieldPath.of("spec", "finalizers"), f, msg)));
      }
    }
    return errs;
  }

  private static List<FieldError> configMapData(ConfigMap c) {
    List<FieldError> errs = new ArrayList<>();
    long size = 0;
    for (var e : c.dataOrEmpty().entrySet()) {
      errs.addAll(key(FieldPath.of("data").key(e.getKey()), e.getKey()));
      size += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    for (var e : c.binaryDataOrEmpty().entrySet()) {
      errs.addAll(key(FieldPath.of("binaryData").key(e.getKey()), e.getKey()));
      if (c.dataOrEmpty().containsKey(e.getKey())) {
        errs.add(FieldError.invalid(FieldPath.of("data"), e.getKey(),
            "duplicate of key " + BadValues.quote(e.getKey()) + " present in binaryData"));
      }
      byte[] decoded = base64(FieldPath.of("binaryData").key(e.getKey()), e.getValue(), errs);
      size += decoded.length;
    }
    if (size > MAX_DATA_BYTES) {
      errs.add(FieldError.tooLong(FieldPath.ROOT, MAX_DATA_BYTES));
    }
    return errs;
  }

  private static List<FieldError> secretData(Secret s) {
    List<FieldError> errs = new ArrayList<>();
    long size = 0;
    for (var e : s.dataOrEmpty().entrySet()) {
      errs.addAll(key(FieldPath.of("data").key(e.getKey()), e.getKey()));
      size += base64(FieldPath.of("data").key(e.getKey()), e.getValue(), errs).length;
    }
    if (size > MAX_DATA_BYTES) {
      errs.add(FieldError.tooLong(FieldPath.of("data"), MAX_DATA_BYTES));
    }
    String type = s.type() == null ? Secret.OPAQUE : s.type();
    List<String> required = switch (type) {
      case "kubernetes.io/tls" -> List.of("tls.crt", "tls.key");
      case "kubernetes.io/dockerconfigjson" -> List.of(".dockerconfigjson");
      case "kubernetes.io/dockercfg" -> List.of(".dockercfg");
      case "kubernetes.io/ssh-auth" -> List.of("ssh-privatekey");
      default -> List.of();
    };
    for (String key : required) {
      if (!s.dataOrEmpty().containsKey(key)) {
        errs.add(FieldError.required(FieldPath.of("data").key(key), ""));
      }
    }
    return errs;
  }

  /** upstream IsConfigMapKey. */
  private static List<FieldError> key(FieldPath path, String key) {
    List<FieldError> errs = new ArrayList<>();
    if (key.length() > 253) {
      errs.add(FieldError.invalid(path, key, "must be no more than 253 characters"));
    }
    if (!CONFIG_KEY.matcher(key).matches()) {
      errs.add(FieldError.invalid(path, key, "a valid config key must consist of alphanumeric characters, '-', '_' "
          + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
    if (key.equals(".")) {
      errs.add(FieldError.invalid(path, key, "must not be '.'"));
    } else if (key.equals("..")) {
      errs.add(FieldError.invalid(path, key, "must not be '..'"));
    } else if (key.startsWith("..")) {
      errs.add(FieldError.invalid(path, key, "must not start with '..'"));
    }
    return errs;
  }

  private static byte[] base64(FieldPath path, String value, List<FieldError> errs) {
    try {
      return Base64.getDecoder().decode(value == null ? "" : value);
    } catch (IllegalArgumentException e) {
      errs.add(FieldError.invalid(path, "<value omitted>", "illegal base64 data: " + e.getMessage()));
      return new byte[0];
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
