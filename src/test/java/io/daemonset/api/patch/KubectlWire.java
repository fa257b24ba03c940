package io.daemonset.api.patch;

/**
 * Patch bodies exactly as kubectl 1.32 sent them, copied from shared/reference/kubectl-wire/*.requests.txt
 * (file and request number in each comment), so the tests exercise what real clients send.
 */
final class KubectlWire {
  private KubectlWire() {}

  /** client-side apply of ds-v2.yaml (01-apply-appsv1 #46): image bump with $setElementOrder/containers. */
  static final String APPLY_IMAGE_V17 = "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersi"
      + "on\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"DaemonSet\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"l"
      + "abels\\\":{\\\"app\\\":\\\"fluentd\\\"},\\\"name\\\":\\\"fluentd\\\",\\\"namespace\\\":\\\"default\\\""
      + "},\\\"spec\\\":{\\\"selector\\\":{\\\"matchLabels\\\":{\\\"name\\\":\\\"fluentd\\\"}},\\\"template\\\""
      + ":{\\\"metadata\\\":{\\\"labels\\\":{\\\"name\\\":\\\"fluentd\\\"}},\\\"spec\\\":{\\\"containers\\\":"
      + "[{\\\"image\\\":\\\"fluent/fluentd:v1.17-1\\\",\\\"name\\\":\\\"fluentd\\\"}],\\\"nodeSelector\\\":{"
      + "\\\"ssd\\\":\\\"true\\\"}}}}}\\n\"}},\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers"
      + "\":[{\"name\":\"fluentd\"}],\"containers\":[{\"image\":\"fluent/fluentd:v1.17-1\",\"name\":\"fluentd"
      + "\"}]}}}}";

  /** kubectl apply --server-side -f ds.yaml (03 #162). */
  static final String SSA_APPLY_V16 = "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"labels\":{\"app\":\"fluentd\"},\""
      + "name\":\"fluentd\",\"namespace\":\"default\"},\"spec\":{\"selector\":{\"matchLabels\":{\"name\":\"fl"
      + "uentd\"}},\"template\":{\"metadata\":{\"labels\":{\"name\":\"fluentd\"}},\"spec\":{\"containers\":[{"
      + "\"image\":\"fluent/fluentd:v1.16-1\",\"name\":\"fluentd\"}],\"nodeSelector\":{\"ssd\":\"true\"}}}}}";

  /** kubectl apply --server-side -f ds-v2.yaml (03 #170). */
  static final String SSA_APPLY_V17 = "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"labels\":{\"app\":\"fluentd\"},\""
      + "name\":\"fluentd\",\"namespace\":\"default\"},\"spec\":{\"selector\":{\"matchLabels\":{\"name\":\"fl"
      + "uentd\"}},\"template\":{\"metadata\":{\"labels\":{\"name\":\"fluentd\"}},\"spec\":{\"containers\":[{"
      + "\"image\":\"fluent/fluentd:v1.17-1\",\"name\":\"fluentd\"}],\"nodeSelector\":{\"ssd\":\"true\"}}}}}";

  /** kubectl-last-applied apply keeping the annotation during CSA to SSA migration (03 #188). */
  static final String SSA_LAST_APPLIED = "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"annotations\":{\"kubectl.kubernet"
      + "es.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"DaemonSet\\\""
      + ",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"labels\\\":{\\\"app\\\":\\\"fluentd\\\"},\\\"name\\\":"
      + "\\\"fluentd\\\",\\\"namespace\\\":\\\"default\\\"},\\\"spec\\\":{\\\"selector\\\":{\\\"matchLabels\\\""
      + ":{\\\"name\\\":\\\"fluentd\\\"}},\\\"template\\\":{\\\"metadata\\\":{\\\"labels\\\":{\\\"name\\\":\\\""
      + "fluentd\\\"}},\\\"spec\\\":{\\\"containers\\\":[{\\\"image\\\":\\\"fluent/fluentd:v1.16-1\\\",\\\"na"
      + "me\\\":\\\"fluentd\\\"}],\\\"nodeSelector\\\":{\\\"ssd\\\":\\\"true\\\"}}}}}\\n\"},\"name\":\"fluent"
      + "d\",\"namespace\":\"default\"}}";

  /** CSA to SSA migration: managedFields rewritten with a JSON patch (03 #189). */
  static final String SSA_MIGRATE_MANAGED_FIELDS = "[{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":[{\"manager\":\"kubectl\",\"oper"
      + "ation\":\"Apply\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-27T17:28:59Z\",\"fieldsType\":\"Fiel"
      + "dsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\"f:kubectl.kubernetes.io/last-applied-confi"
      + "guration\":{}},\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:revisionHistoryLimit\":{},\"f:selector\""
      + ":{\"f:matchLabels\":{\"f:name\":{}}},\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:name\":{}}},\""
      + "f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"fluentd\\\"}\":{\".\":{},\"f:image\":{},\"f:imageP"
      + "ullPolicy\":{},\"f:name\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},\"f:terminationMessa"
      + "gePolicy\":{}}},\"f:dnsPolicy\":{},\"f:nodeSelector\":{\"f:ssd\":{}},\"f:restartPolicy\":{},\"f:sche"
      + "dulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}},\"f:updateStrategy\""
      + ":{\"f:rollingUpdate\":{\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}}}}},{\"manager\":\"k"
      + "ubectl-last-applied\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-27T17:28"
      + ":59Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\"f:kubectl.kube"
      + "rnetes.io/last-applied-configuration\":{}}}}}]},{\"op\":\"replace\",\"path\":\"/metadata/resourceVer"
      + "sion\",\"value\":\"1018\"}]";

  /** kubectl label node node-1 ssd=true (05 #286). */
  static final String LABEL_SSD_TRUE = "{\"metadata\":{\"labels\":{\"ssd\":\"true\"}}}";

  /** kubectl label node node-1 ssd- (05 #293). */
  static final String LABEL_SSD_REMOVE = "{\"metadata\":{\"labels\":{\"ssd\":null}}}";

  /** kubectl label with the same value (05 #300). */
  static final String LABEL_UNCHANGED = "{}";

  /** kubectl label --overwrite node-2 ssd=false (05 #313). */
  static final String LABEL_SSD_FALSE_OVERWRITE = "{\"metadata\":{\"labels\":{\"ssd\":\"false\"}}}";

  /** kubectl annotate kubernetes.io/change-cause (06 #458). */
  static final String ANNOTATE_CHANGE_CAUSE = "{\"metadata\":{\"annotations\":{\"kubernetes.io/change-cause\":\"image-bumped-to-1.17\"}}}";

  /** kubectl rollout undo (06 #492): ControllerRevision data with $patch: replace. */
  static final String ROLLOUT_UNDO = "{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{\"creationTimestamp\":null,\"labels\":"
      + "{\"name\":\"fluentd\"}},\"spec\":{\"containers\":[{\"image\":\"fluent/fluentd:v1.16-1\",\"imagePullP"
      + "olicy\":\"IfNotPresent\",\"name\":\"fluentd\",\"resources\":{},\"terminationMessagePath\":\"/dev/ter"
      + "mination-log\",\"terminationMessagePolicy\":\"File\"}],\"dnsPolicy\":\"ClusterFirst\",\"nodeSelector"
      + "\":{\"ssd\":\"true\"},\"restartPolicy\":\"Always\",\"schedulerName\":\"default-scheduler\",\"securit"
      + "yContext\":{},\"terminationGracePeriodSeconds\":30}}}}";

  /** kubectl rollout restart (06 #523). */
  static final String ROLLOUT_RESTART = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026"
      + "-11-27T17:29:25Z\"}}}}}";

  /** kubectl rollout undo --to-revision=4 (06 #540): revision data with Python spacing, $patch last. */
  static final String ROLLOUT_UNDO_PYTHON_SPACING = "{\"spec\": {\"template\": {\"metadata\": {\"labels\": {\"name\": \"fluentd\"}, \"annotations\": {\"k"
      + "ubectl.kubernetes.io/restartedAt\": \"2026-11-27T17:29:25Z\"}, \"creationTimestamp\": null}, \"spec\""
      + ": {\"containers\": [{\"image\": \"fluent/fluentd:v1.16-1\", \"imagePullPolicy\": \"IfNotPresent\", \""
      + "name\": \"fluentd\", \"resources\": {}, \"terminationMessagePath\": \"/dev/termination-log\", \"term"
      + "inationMessagePolicy\": \"File\"}], \"dnsPolicy\": \"ClusterFirst\", \"nodeSelector\": {\"ssd\": \"t"
      + "rue\"}, \"restartPolicy\": \"Always\", \"schedulerName\": \"default-scheduler\", \"securityContext\""
      + ": {}, \"terminationGracePeriodSeconds\": 30}, \"$patch\": \"replace\"}}}";
}
