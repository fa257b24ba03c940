package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test documents. {@link #json} reads single-quoted JSON so that tables stay readable. */
final class Fixtures {
  private Fixtures() {}

  static JsonNode json(String singleQuoted) {
    return parse(singleQuoted.replace('\'', '"'));
  }

  static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fluentd DaemonSet of the wire records as kube-apiserver stores it after `kubectl create` (defaulted). */
  static JsonNode fluentd() {
    return json("""
        {'apiVersion':'apps/v1','kind':'DaemonSet',
         'metadata':{'name':'fluentd','namespace':'default','uid':'5a0c0e1e-0000-4000-8000-000000000001',
           'resourceVersion':'1001','generation':1,'creationTimestamp':'2026-11-27T17:28:57Z',
           'labels':{'app':'fluentd'},'annotations':{'deprecated.daemonset.template.generation':'1'}},
         'spec':{'selector':{'matchLabels':{'name':'fluentd'}},
           'template':{'metadata':{'labels':{'name':'fluentd'}},
             'spec':{'containers':[{'name':'fluentd','image':'fluent/fluentd:v1.16-1',
                 'imagePullPolicy':'IfNotPresent','resources':{},
                 'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File'}],
               'nodeSelector':{'ssd':'true'},'restartPolicy':'Always','terminationGracePeriodSeconds':30,
               'dnsPolicy':'ClusterFirst','securityContext':{},'schedulerName':'default-scheduler'}},
           'updateStrategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':0}},
           'revisionHistoryLimit':10},
         'status':{'currentNumberScheduled':2,'numberMisscheduled':0,'desiredNumberScheduled':2,'numberReady':2}}
        """);
  }

  /** fluentd with a second container and richer pod spec: env, volume mounts, ports, tolerations, volumes. */
  static JsonNode fluentdWithSidecar() {
    return json("""
        {'apiVersion':'apps/v1','kind':'DaemonSet','metadata':{'name':'fluentd','namespace':'default',
           'finalizers':['a','b','c'],
           'ownerReferences':[{'apiVersion':'v1','kind':'Owner','name':'o1','uid':'u1'},
                              {'apiVersion':'v1','kind':'Owner','name':'o2','uid':'u2'}]},
         'spec':{'template':{'metadata':{'labels':{'name':'fluentd'}},
           'spec':{'containers':[
               {'name':'fluentd','image':'fluent/fluentd:v1.16-1','args':['-c','/etc/fluent.conf'],
                'env':[{'name':'LEVEL','value':'info'},{'name':'ZONE','value':'a'}],
                'ports':[{'containerPort':24224,'protocol':'TCP'}],
                'volumeMounts':[{'name':'varlog','mountPath':'/var/log'},
                                {'name':'conf','mountPath':'/etc/fluent','readOnly':false}]},
               {'name':'sidecar','image':'busybox:1.36'}],
             'tolerations':[{'key':'node-role.kubernetes.io/control-plane','operator':'Exists','effect':'NoSchedule'},
                            {'key':'dedicated','operator':'Equal','value':'logging','effect':'NoSchedule'}],
             'imagePullSecrets':[{'name':'registry-a'}],
             'volumes':[{'name':'varlog','hostPath':{'path':'/var/log'}},{'name':'conf','configMap':{'name':'fluent'}}]}}},
         'status':{'conditions':[{'type':'Progressing','status':'True'},{'type':'Stalled','status':'False'}]}}
        """);
  }

  static JsonNode node() {
    return json("""
        {'apiVersion':'v1','kind':'Node','metadata':{'name':'node-1','labels':{'kubernetes.io/hostname':'node-1',
           'kubernetes.io/os':'linux'}},
         'spec':{'podCIDR':'10.244.0.0/24','taints':[{'key':'gpu','value':'true','effect':'NoSchedule'},
                                                     {'key':'gpu','value':'true','effect':'NoExecute'}]},
         'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'DiskPressure','status':'False'}],
                   'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'node-1'}]}}
        """);
  }
}
