package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Revision data as kubectl rollout undo compares it: Go's compact JSON with sorted keys and what Go's structs add
 * (creationTimestamp null in the template metadata, resources {} in every container).
 */
class RevisionDataTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Go's additions | {'spec':{'template':{'$patch':'replace','metadata':{'labels':{'a':'b'}},'spec':{'containers':"
          + "[{'name':'c','image':'i'}]}}}}"
          + " | {\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{\"creationTimestamp\":null,\"labels\":"
          + "{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"image\":\"i\",\"name\":\"c\",\"resources\":{}}]}}}}",
      "present values kept | {'spec':{'template':{'metadata':{'creationTimestamp':null},'spec':{'initContainers':"
          + "[{'resources':{'limits':{'cpu':'1'}},'name':'x'}],'containers':[]}}}}"
          + " | {\"spec\":{\"template\":{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"containers\":[],"
          + "\"initContainers\":[{\"name\":\"x\",\"resources\":{\"limits\":{\"cpu\":\"1\"}}}]}}}}",
      "keys sorted at every depth | {'b':{'z':1,'y':[{'d':1,'c':2}]},'a':true}"
          + " | {\"a\":true,\"b\":{\"y\":[{\"c\":2,\"d\":1}],\"z\":1}}"})
  void servedDataIsWhatKubectlComputesFromTheLiveTemplate(String what, String stored, String served) {
    JsonNode data = Json.read(stored.replace('\'', '"'), JsonNode.class);
    assertThat(Json.write(RevisionData.goShaped(data))).isEqualTo(served);
  }
}
