package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** meta/v1 Status: every error the API returns, and the answer to a delete. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(
    String apiVersion, String kind, ListMeta metadata, String status, String message, String reason,
    StatusDetails details, Integer code) {

  public static Status failure(int code, String reason, String message, StatusDetails details) {
    return new Status("v1", "Status", new ListMeta(null, null, null), "Failure", message, reason, details, code);
  }

  public static Status success(StatusDetails details) {
    return new Status("v1", "Status", new ListMeta(null, null, null), "Success", null, null, details, null);
  }

  /** Details of an error: the object and, for invalid input, one cause per violated rule. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StatusDetails(String name, String group, String kind, String uid, List<StatusCause> causes,
                              Integer retryAfterSeconds) {}

  /** One violated rule: reason (FieldValueInvalid, FieldValueRequired…), message and the field path. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StatusCause(String reason, String message, String field) {}
}
