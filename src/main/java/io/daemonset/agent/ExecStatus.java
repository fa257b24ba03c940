package io.daemonset.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import java.util.List;

/**
 * The metav1.Status an exec session ends with on the error channel, as kubelet writes it (remotecommand v4+):
 * {@code {"metadata":{},"status":"Success"}}, or a failure; a non-zero exit is reason NonZeroExitCode with an ExitCode
 * cause whose message is the code, which kubectl turns into its own exit code.
 */
final class ExecStatus {
  private ExecStatus() {
  }

  static String success() {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.putObject("metadata");
    status.put("status", "Success");
    return Json.write(status);
  }

  static String exitCode(List<String> command, int exit) {
    ObjectNode status = failureNode("command terminated with non-zero exit code: error executing command "
        + command + ", exit code " + exit, "NonZeroExitCode");
    status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
        .put("message", String.valueOf(exit));
    return Json.write(status);
  }

  static String failure(int code, String reason, String message) {
    ObjectNode status = failureNode(message, reason);
    status.put("code", code);
    return Json.write(status);
  }

  private static ObjectNode failureNode(String message, String reason) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    return status;
  }
}
