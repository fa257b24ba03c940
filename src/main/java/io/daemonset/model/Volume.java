package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A pod volume. hostPath is typed (daemons use it most); other sources round-trip as JSON. */
public record Volume(
    String name,
    HostPathVolumeSource hostPath,
    JsonNode emptyDir,
    JsonNode configMap,
    JsonNode secret,
    JsonNode projected,
    JsonNode downwardAPI,
    JsonNode persistentVolumeClaim) {

  public Volume {
    emptyDir = Json.absentIfNull(emptyDir);
    configMap = Json.absentIfNull(configMap);
    secret = Json.absentIfNull(secret);
    projected = Json.absentIfNull(projected);
    downwardAPI = Json.absentIfNull(downwardAPI);
    persistentVolumeClaim = Json.absentIfNull(persistentVolumeClaim);
  }

  public static Volume hostPath(String name, String path) {
    return new Volume(name, new HostPathVolumeSource(path, null), null, null, null, null, null, null);
  }
}
