{{/* Chart name, truncated to 63 characters (a DNS label). */}}
{{- define "chopsticks-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name used for every resource: fullnameOverride, else <release>-<chart>, else the release name when it
already contains the chart name. Truncated to 63 characters.
*/}}
{{- define "chopsticks-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "chopsticks-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "chopsticks-operator.labels" -}}
helm.sh/chart: {{ include "chopsticks-operator.chart" . }}
{{ include "chopsticks-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: chopsticks
{{- end }}

{{/* Selector labels: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "chopsticks-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chopsticks-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "chopsticks-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "chopsticks-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository[:tag][@digest]; the tag defaults to the chart's appVersion. */}}
{{- define "chopsticks-operator.imageRef" -}}
{{- $tag := default .root.Chart.AppVersion .image.tag }}
{{- if .image.digest }}
{{- printf "%s:%s@%s" .image.repository $tag .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{- define "chopsticks-operator.image" -}}
{{- include "chopsticks-operator.imageRef" (dict "root" . "image" .Values.image) }}
{{- end }}

{{- define "chopsticks-operator.leaseName" -}}
{{- default (include "chopsticks-operator.suffixed" (list . "leader")) .Values.leaderElection.leaseName }}
{{- end }}

{{/* <fullname>-<suffix>, with the full name shortened so the result stays a 63-character DNS label.
Usage: include "chopsticks-operator.suffixed" (list . "leader") */}}
{{- define "chopsticks-operator.suffixed" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- $max := sub 62 (len $suffix) | int }}
{{- printf "%s-%s" (include "chopsticks-operator.fullname" $root | trunc $max | trimSuffix "-") $suffix }}
{{- end }}
