{{- define "krt.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every name: fullnameOverride, or <release>-<name> (just <release> when it contains the name). */}}
{{- define "krt.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A generated name, <base>-<suffix>, at most 63 characters. A base too long for that is cut and followed by 8 hex
characters of the whole name's sha256, so two long names that share their start still differ.
  include "krt.suffixed" (dict "base" "my-release-kuberollouttrigger" "suffix" "worker")
*/}}
{{- define "krt.suffixed" -}}
{{- $whole := printf "%s-%s" .base .suffix -}}
{{- if le (len $whole) 63 -}}
{{- $whole -}}
{{- else -}}
{{- $keep := sub 63 (add (len .suffix) 10) | int -}}
{{- printf "%s-%s-%s" (.base | trunc $keep | trimSuffix "-") (sha256sum $whole | trunc 8) .suffix -}}
{{- end -}}
{{- end -}}

{{/* A namespaced object's name: <fullname>-<suffix>. */}}
{{- define "krt.component" -}}
{{- include "krt.suffixed" (dict "base" (include "krt.fullname" .root) "suffix" .suffix) -}}
{{- end -}}

{{/* A cluster-scoped object's name: <namespace>-<fullname>-<suffix>, so two releases of one name in two namespaces differ. */}}
{{- define "krt.clusterComponent" -}}
{{- include "krt.suffixed" (dict "base" (printf "%s-%s" .root.Release.Namespace (include "krt.fullname" .root)) "suffix" .suffix) -}}
{{- end -}}

{{- define "krt.labels" -}}
app.kubernetes.io/name: {{ include "krt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "krt.selector" -}}
app.kubernetes.io/name: {{ include "krt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is set. */}}
{{- define "krt.imageRef" -}}
{{- if .digest -}}
{{ .repository }}@{{ .digest }}
{{- else -}}
{{ .repository }}:{{ .tag }}
{{- end -}}
{{- end -}}

{{- define "krt.image" -}}
{{ include "krt.imageRef" (dict "repository" .Values.image.repository "digest" .Values.image.digest "tag" (.Values.image.tag | default .Chart.AppVersion)) }}
{{- end -}}

{{- define "krt.workerServiceAccount" -}}
{{- if .Values.worker.serviceAccount.create -}}
{{ default (include "krt.component" (dict "root" . "suffix" "worker")) .Values.worker.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.worker.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{- define "krt.valkeyAddress" -}}
{{- if .Values.valkey.bundled.enabled -}}
{{ include "krt.component" (dict "root" . "suffix" "valkey") }}:6379
{{- else -}}
{{ required "valkey.address is required unless valkey.bundled.enabled is true" .Values.valkey.address }}
{{- end -}}
{{- end -}}

{{/*
The Valkey ports the NetworkPolicies allow, one a line: each address entry's own (6379 when it names none), then
valkey.nodePorts (with Sentinel and none given: 6379, where the primary the Sentinels name listens). valkey.port may
only repeat the port of a single address.
*/}}
{{- define "krt.valkeyPorts" -}}
{{- $address := include "krt.valkeyAddress" . -}}
{{- $ports := list -}}
{{- range splitList "," $address -}}
{{- $port := 6379 -}}
{{- with regexFind ":[0-9]+$" (trim .) -}}
{{- $port = trimPrefix ":" . | int -}}
{{- end -}}
{{- $ports = append $ports $port -}}
{{- end -}}
{{- if not (kindIs "invalid" .Values.valkey.port) -}}
{{- if gt (len $ports) 1 -}}
{{- fail (printf "valkey.port (%d) cannot stand for the list of Valkey addresses %s: leave valkey.port empty, the NetworkPolicies take the ports from the addresses" (int .Values.valkey.port) $address) -}}
{{- else if ne (int .Values.valkey.port) (first $ports) -}}
{{- fail (printf "valkey.port (%d) is not the port of the Valkey address %s (%d): leave valkey.port empty, the NetworkPolicies take the port from the address" (int .Values.valkey.port) $address (first $ports)) -}}
{{- end -}}
{{- end -}}
{{- if not .Values.valkey.bundled.enabled -}}
{{- $nodePorts := .Values.valkey.nodePorts -}}
{{- if and .Values.valkey.sentinelMaster (not $nodePorts) -}}
{{- $nodePorts = list 6379 -}}
{{- end -}}
{{- range $nodePorts -}}
{{- $ports = append $ports (int .) -}}
{{- end -}}
{{- end -}}
{{- range uniq $ports }}
{{ . }}
{{- end -}}
{{- end -}}

{{/* Sentinel or Cluster apply to an external Valkey only, and exclude each other. */}}
{{- define "krt.valkeyTopologyEnv" -}}
{{- if and .Values.valkey.bundled.enabled (or .Values.valkey.sentinelMaster .Values.valkey.cluster) -}}
{{- fail "valkey.sentinelMaster and valkey.cluster describe an external Valkey: the bundled one is a single node" -}}
{{- end -}}
{{- if and .Values.valkey.sentinelMaster .Values.valkey.cluster -}}
{{- fail "valkey.sentinelMaster and valkey.cluster exclude each other: Sentinel watches one primary, a Cluster fails over by itself" -}}
{{- end -}}
- name: VALKEY_SENTINEL_MASTER
  value: {{ .Values.valkey.sentinelMaster | quote }}
- name: VALKEY_CLUSTER
  value: {{ .Values.valkey.cluster | quote }}
{{- end -}}

{{/* The Secret and key holding the Valkey password the web and worker pods use; empty when there is none. */}}
{{- define "krt.valkeyPasswordSecret" -}}
{{- if .Values.valkey.bundled.enabled -}}
{{ default (include "krt.component" (dict "root" . "suffix" "valkey")) .Values.valkey.bundled.auth.existingSecret }}
{{- else -}}
{{ .Values.valkey.existingSecret }}
{{- end -}}
{{- end -}}

{{- define "krt.valkeyPasswordKey" -}}
{{- if .Values.valkey.bundled.enabled -}}
{{ .Values.valkey.bundled.auth.passwordKey }}
{{- else -}}
{{ .Values.valkey.passwordKey }}
{{- end -}}
{{- end -}}

{{/* Settings both modes share; the names are the Go original's environment variables. */}}
{{- define "krt.commonEnv" -}}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
- name: VALKEY_ADDR
  value: {{ include "krt.valkeyAddress" . | quote }}
{{ include "krt.valkeyTopologyEnv" . }}
- name: VALKEY_CHANNEL
  value: {{ .Values.valkey.channel | quote }}
- name: VALKEY_TLS_ENABLED
  value: {{ .Values.valkey.tls | quote }}
- name: ALLOWED_IMAGE_PREFIX
  value: {{ required "allowedImagePrefix is required" .Values.allowedImagePrefix | quote }}
- name: DELIVERY_MODE
  value: {{ .Values.delivery.mode | quote }}
- name: STREAM_GROUP
  value: {{ .Values.delivery.stream.group | quote }}
- name: STREAM_MAX_LEN
  value: {{ .Values.delivery.stream.maxLength | int64 | quote }}
{{- if .Values.policy }}
- name: POLICY_FILE
  value: {{ include "krt.policyFile" . | quote }}
{{- end }}
{{- if and .Values.valkey.existingSecret (not .Values.valkey.bundled.enabled) }}
- name: VALKEY_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.valkey.existingSecret }}
      key: {{ .Values.valkey.usernameKey }}
      optional: true
{{- end }}
{{- with include "krt.valkeyPasswordSecret" . }}
- name: VALKEY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ include "krt.valkeyPasswordKey" $ }}
{{- end }}
{{- if .Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.otel.endpoint | quote }}
{{- end }}
{{- end -}}

{{/* The policy ConfigMap (policy-configmap.yaml), mounted read-only into both modes when .Values.policy is set. */}}
{{- define "krt.policyDir" -}}
/etc/kuberollouttrigger/policy
{{- end -}}

{{- define "krt.policyFile" -}}
{{ include "krt.policyDir" . }}/policy.yaml
{{- end -}}

{{/* Pod annotations: the mode's own, and with a policy the checksum of its ConfigMap, so a changed policy rolls the pods. */}}
{{- define "krt.podAnnotations" -}}
{{- $annotations := deepCopy (.annotations | default (dict)) -}}
{{- if .root.Values.policy -}}
{{- $_ := set $annotations "checksum/policy" (include (print .root.Template.BasePath "/policy-configmap.yaml") .root | sha256sum) -}}
{{- end -}}
{{- with $annotations -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}

{{/* A pod's labels: the component's selector labels, then the user's podLabels (which may not replace them). */}}
{{- define "krt.podLabels" -}}
{{- $selector := fromYaml (include "krt.selector" .root) -}}
{{- $_ := set $selector "app.kubernetes.io/component" .component -}}
{{- toYaml (merge $selector (.labels | default (dict))) -}}
{{- end -}}

{{/*
The parts of a pod spec both modes (and the bundled Valkey) share, from their values:
  include "krt.podScheduling" (dict "root" . "values" .Values.web "component" "web")
*/}}
{{- define "krt.podScheduling" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A preStop sleep (a hook without a shell: the image has none), where the cluster has the sleep action (1.30+). */}}
{{- define "krt.lifecycle" -}}
{{- if and (gt (int .values.preStopSleepSeconds) 0) (semverCompare ">=1.30.0-0" .root.Capabilities.KubeVersion.Version) -}}
lifecycle:
  preStop:
    sleep:
      seconds: {{ int .values.preStopSleepSeconds }}
{{- end }}
{{- end -}}

{{/* Egress every pod needs: DNS, as networkPolicy.dns describes it. */}}
{{- define "krt.dnsEgress" -}}
- {{- with .Values.networkPolicy.dns.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    {{- toYaml .Values.networkPolicy.dns.ports | nindent 4 }}
{{- end -}}

{{- define "krt.valkeyEgress" -}}
{{- if .Values.valkey.bundled.enabled -}}
- to:
    - podSelector:
        matchLabels:
          {{- include "krt.selector" . | nindent 10 }}
          app.kubernetes.io/component: valkey
  ports:
    - protocol: TCP
      port: 6379
{{- else -}}
- {{- if .Values.valkey.cidrs }}
  to:
    {{- range .Values.valkey.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
  ports:
    {{- range splitList "\n" (include "krt.valkeyPorts" . | trim) }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* Egress to the OTLP endpoint, on the port of its URL (80/443 by scheme when it names none); nothing without one. */}}
{{- define "krt.otelEgress" -}}
{{- with .Values.otel.endpoint }}
{{- $url := urlParse . -}}
{{- $port := ternary 443 80 (eq $url.scheme "https") -}}
{{- with regexFind ":[0-9]+$" $url.host -}}
{{- $port = trimPrefix ":" . | int -}}
{{- end }}
- {{- if $.Values.otel.cidrs }}
  to:
    {{- range $.Values.otel.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
  ports:
    - protocol: TCP
      port: {{ $port }}
{{- end }}
{{- end -}}
