{{/* Name of every object of the release: the release name, unless it already says innovate-portal. */}}
{{- define "innovate-portal.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "innovate-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "innovate-portal.labels" -}}
{{ include "innovate-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ default .Chart.AppVersion .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "innovate-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "innovate-portal.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The ConfigMap's data; its checksum on the pods rolls them when the configuration changes. */}}
{{- define "innovate-portal.configData" -}}
app-config.production.yaml: |
{{ .Files.Get "files/app-config.production.yaml" | indent 2 }}
app-config.overrides.yaml: |
{{ toYaml .Values.appConfig | indent 2 }}
{{- end -}}
