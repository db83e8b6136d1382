{{- define "krt.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "krt.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "krt.labels" -}}
app.kubernetes.io/name: {{ include "krt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "krt.selector" -}}
app.kubernetes.io/name: {{ include "krt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "krt.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "krt.workerServiceAccount" -}}
{{- if .Values.worker.serviceAccount.create -}}
{{ default (printf "%s-worker" (include "krt.fullname" .)) .Values.worker.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.worker.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{- define "krt.valkeyAddress" -}}
{{- if .Values.valkey.bundled.enabled -}}
{{ include "krt.fullname" . }}-valkey:6379
{{- else -}}
{{ required "valkey.address is required unless valkey.bundled.enabled is true" .Values.valkey.address }}
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
{{- if .Values.valkey.existingSecret }}
- name: VALKEY_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.valkey.existingSecret }}
      key: {{ .Values.valkey.usernameKey }}
      optional: true
- name: VALKEY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.valkey.existingSecret }}
      key: {{ .Values.valkey.passwordKey }}
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

{{- define "krt.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
fsGroup: 1654
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "krt.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Egress every pod needs: DNS. */}}
{{- define "krt.dnsEgress" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end -}}

{{- define "krt.valkeyEgress" -}}
{{- if .Values.valkey.bundled.enabled }}
- to:
    - podSelector:
        matchLabels:
          {{- include "krt.selector" . | nindent 10 }}
          app.kubernetes.io/component: valkey
  ports:
    - protocol: TCP
      port: 6379
{{- else }}
- {{- if .Values.valkey.cidrs }}
  to:
    {{- range .Values.valkey.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
  ports:
    - protocol: TCP
      port: {{ .Values.valkey.port }}
{{- end }}
{{- end -}}
