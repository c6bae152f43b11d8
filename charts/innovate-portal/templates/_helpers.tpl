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

{{/* Keys of the Secret (secrets.existingSecret); the chart README's "Secret" table lists the same. */}}
{{- define "innovate-portal.secretKeys" -}}
POSTGRES_HOST POSTGRES_USER POSTGRES_PASSWORD REDIS_URL AUTH_GITHUB_CLIENT_ID AUTH_GITHUB_CLIENT_SECRET GITHUB_TOKEN AWS_SHARED_ACCOUNT_ID AWS_DEV_ACCOUNT_ID AWS_PROD_ACCOUNT_ID AWS_PORTAL_EXTERNAL_ID
{{- end -}}

{{/* Refuses values that would put a secret into the Deployment in clear text, or shadow the chart's own variable. */}}
{{- define "innovate-portal.checkEnv" -}}
{{- $secretKeys := splitList " " (include "innovate-portal.secretKeys" .) -}}
{{- range $name, $value := .Values.env -}}
{{- if has $name $secretKeys -}}
{{- fail (printf "env.%s is a secret: put it in the Secret %q (secrets.existingSecret), not in env, which is rendered into the Deployment in clear text" $name $.Values.secrets.existingSecret) -}}
{{- end -}}
{{- if eq $name "PORTAL_BASE_URL" -}}
{{- fail "env.PORTAL_BASE_URL is set by the chart from baseUrl; set baseUrl instead" -}}
{{- end -}}
{{- end -}}
{{- end -}}
