{{/* Chart name, truncated to 63 characters (DNS label limit). */}}
{{- define "cerniq-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name: fullnameOverride, else <release>-<name>, or the release name alone if it contains the name. */}}
{{- define "cerniq-exporter.fullname" -}}
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

{{- define "cerniq-exporter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cerniq-exporter.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride -}}
{{- end -}}

{{- define "cerniq-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cerniq-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cerniq-exporter.labels" -}}
helm.sh/chart: {{ include "cerniq-exporter.chart" . }}
{{ include "cerniq-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cerniq
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "cerniq-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cerniq-exporter.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cerniq-exporter.image" -}}
{{- $repo := .Values.image.repository -}}
{{- with .Values.image.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" .) $repo }}{{ end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (toString (.Values.image.tag | default .Chart.AppVersion)) -}}
{{- end -}}
{{- end -}}

{{/* Where the secret files are mounted in the container. */}}
{{- define "cerniq-exporter.secretsDir" -}}/etc/cerniq-exporter/secrets{{- end -}}
{{- define "cerniq-exporter.configDir" -}}/etc/cerniq-exporter/config{{- end -}}

{{/* Name of the ConfigMap holding the exporter config, and its key. */}}
{{- define "cerniq-exporter.configMapName" -}}
{{- default (include "cerniq-exporter.fullname" .) .Values.config.existingConfigMap -}}
{{- end -}}
{{- define "cerniq-exporter.configMapKey" -}}
{{- if .Values.config.existingConfigMap }}{{ .Values.config.existingConfigMapKey }}{{ else }}config.yml{{ end -}}
{{- end -}}

{{/*
Secrets. Each source resolves to "secretName/key" or "" (none):
  redisPassword:    redis.existingSecret[existingSecretPasswordKey] | chart Secret[redis-password] | ""
  postgresDsn:      postgres.existingSecret[existingSecretDsnKey] | chart Secret[postgres-dsn] | fail
  postgresPassword: postgres.existingSecret[existingSecretPasswordKey] | chart Secret[postgres-password] | ""
*/}}
{{- define "cerniq-exporter.redisPasswordRef" -}}
{{- if .Values.redis.existingSecret -}}
{{ .Values.redis.existingSecret }}/{{ required "redis.existingSecretPasswordKey is required when redis.existingSecret is set" .Values.redis.existingSecretPasswordKey }}
{{- else if .Values.redis.password -}}
{{ include "cerniq-exporter.fullname" . }}/redis-password
{{- end -}}
{{- end -}}

{{- define "cerniq-exporter.postgresDsnRef" -}}
{{- if .Values.postgres.enabled -}}
{{- if .Values.postgres.existingSecret -}}
{{ .Values.postgres.existingSecret }}/{{ required "postgres.existingSecretDsnKey is required when postgres.existingSecret is set" .Values.postgres.existingSecretDsnKey }}
{{- else -}}
{{- $_ := required "postgres.dsn is required when postgres.enabled is true and postgres.existingSecret is empty (or set postgres.enabled=false)" .Values.postgres.dsn -}}
{{ include "cerniq-exporter.fullname" . }}/postgres-dsn
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cerniq-exporter.postgresPasswordRef" -}}
{{- if .Values.postgres.enabled -}}
{{- if .Values.postgres.existingSecret -}}
{{- with .Values.postgres.existingSecretPasswordKey }}{{ $.Values.postgres.existingSecret }}/{{ . }}{{ end -}}
{{- else if .Values.postgres.password -}}
{{ include "cerniq-exporter.fullname" . }}/postgres-password
{{- end -}}
{{- end -}}
{{- end -}}

{{/* True ("1") when the chart makes its own Secret. */}}
{{- define "cerniq-exporter.chartSecret" -}}
{{- if and (not .Values.redis.existingSecret) .Values.redis.password }}1{{ end -}}
{{- if and .Values.postgres.enabled (not .Values.postgres.existingSecret) }}1{{ end -}}
{{- if include "cerniq-exporter.chartSentinelPassword" . }}1{{ end -}}
{{- end -}}

{{/*
The exporter's scrape job as Prometheus will label it (the Prometheus Operator's rules):
prometheusRule.exporterJob when set; a PodMonitor's "<namespace>/<name>"; a ServiceMonitor's
Service name; with jobLabel, the value of that label on the pod / Service; else "cerniq-exporter"
(the rule files' job, a static scrape config's job_name).
*/}}
{{- define "cerniq-exporter.exporterJob" -}}
{{- $fullname := include "cerniq-exporter.fullname" . -}}
{{- if .Values.prometheusRule.exporterJob -}}
{{- .Values.prometheusRule.exporterJob -}}
{{- else if .Values.podMonitor.enabled -}}
{{- if .Values.podMonitor.jobLabel -}}
{{- $labels := merge (include "cerniq-exporter.selectorLabels" . | fromYaml) (.Values.podLabels | default dict) -}}
{{- required (printf "prometheusRule.exporterJob is required: podMonitor.jobLabel %q is not a pod label the chart sets" .Values.podMonitor.jobLabel) (get $labels .Values.podMonitor.jobLabel) -}}
{{- else -}}
{{- default (include "cerniq-exporter.namespace" .) .Values.podMonitor.namespace }}/{{ $fullname -}}
{{- end -}}
{{- else if .Values.serviceMonitor.enabled -}}
{{- if .Values.serviceMonitor.jobLabel -}}
{{- $labels := merge (include "cerniq-exporter.labels" . | fromYaml) (.Values.service.labels | default dict) -}}
{{- required (printf "prometheusRule.exporterJob is required: serviceMonitor.jobLabel %q is not a Service label the chart sets" .Values.serviceMonitor.jobLabel) (get $labels .Values.serviceMonitor.jobLabel) -}}
{{- else -}}
{{- $fullname -}}
{{- end -}}
{{- else -}}
cerniq-exporter
{{- end -}}
{{- end -}}

{{/*
A rule file as shipped, with its two placeholders filled in (plain string replacement, no tpl, so
the file's Prometheus templating stays as it is): the runbook base URL of every runbook_url and
the exporter's scrape job of job="cerniq-exporter".
*/}}
{{- define "cerniq-exporter.ruleFile" -}}
{{- $base := printf "%s/" (trimSuffix "/" .root.Values.prometheusRule.runbookBaseUrl) -}}
{{- $job := printf "job=%q" (include "cerniq-exporter.exporterJob" .root) -}}
{{- .root.Files.Get .path | replace "https://runbooks.example.com/cerniq/" $base | replace "job=\"cerniq-exporter\"" $job -}}
{{- end -}}

{{/* The rule groups of files/rules/*.yaml (the repository's rules/), filtered and labelled. */}}
{{- define "cerniq-exporter.ruleGroups" -}}
{{- $groups := list -}}
{{- $disabled := .Values.prometheusRule.disabledRules | default list -}}
{{- $extraLabels := .Values.prometheusRule.additionalRuleLabels | default dict -}}
{{- range $path, $_ := .Files.Glob "files/rules/*.yaml" -}}
{{- $doc := include "cerniq-exporter.ruleFile" (dict "root" $ "path" $path) | fromYaml -}}
{{- if hasKey $doc "Error" -}}
{{- fail (printf "%s: %s" $path $doc.Error) -}}
{{- end -}}
{{- range $doc.groups -}}
{{- $rules := list -}}
{{- range .rules -}}
{{- if not (has (default .record .alert) $disabled) -}}
{{- $rule := deepCopy . -}}
{{- if and $extraLabels $rule.alert -}}
{{- $_ := set $rule "labels" (merge (deepCopy ($rule.labels | default dict)) $extraLabels) -}}
{{- end -}}
{{- $rules = append $rules $rule -}}
{{- end -}}
{{- end -}}
{{- if $rules -}}
{{- $group := deepCopy . -}}
{{- $_ := set $group "rules" $rules -}}
{{- $groups = append $groups $group -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- with .Values.prometheusRule.rules -}}
{{- $rules := list -}}
{{- range (tpl (toYaml .) $ | fromYamlArray) -}}
{{- $rule := . -}}
{{- if and $extraLabels $rule.alert -}}
{{- $_ := set $rule "labels" (merge (deepCopy ($rule.labels | default dict)) $extraLabels) -}}
{{- end -}}
{{- $rules = append $rules $rule -}}
{{- end -}}
{{- $groups = append $groups (dict "name" (printf "%s-extra" (include "cerniq-exporter.fullname" $)) "rules" $rules) -}}
{{- end -}}
{{- toYaml $groups -}}
{{- end -}}

{{/*
Redis modes, TLS and the Sentinel password. The TLS files are mounted at redisTlsDir and named
by --redis.tls.* flags (flags override the config file, so this works with
config.existingConfigMap too); the Sentinel block goes into the chart's config (redis.sentinel).
*/}}
{{- define "cerniq-exporter.redisTlsDir" -}}/etc/cerniq-exporter/redis-tls{{- end -}}

{{/* "1" when the chart's Secret holds the Sentinels' password (redis.sentinel.password). */}}
{{- define "cerniq-exporter.chartSentinelPassword" -}}
{{- $s := .Values.redis.sentinel -}}
{{- if and (eq .Values.redis.mode "sentinel") (not $s.existingSecret) $s.password }}1{{ end -}}
{{- end -}}

{{/* "secretName/key" of the Sentinels' password, or "". */}}
{{- define "cerniq-exporter.sentinelPasswordRef" -}}
{{- $s := .Values.redis.sentinel -}}
{{- if and (eq .Values.redis.mode "sentinel") $s.existingSecret -}}
{{ $s.existingSecret }}/{{ required "redis.sentinel.passwordKey is required when redis.sentinel.existingSecret is set" $s.passwordKey }}
{{- else if and (eq .Values.redis.mode "sentinel") $s.password -}}
{{ include "cerniq-exporter.fullname" . }}/sentinel-password
{{- end -}}
{{- end -}}

{{/* The TLS Secret's keys to mount, one "key:file" per line ("" when nothing is mounted). */}}
{{- define "cerniq-exporter.redisTlsFiles" -}}
{{- $t := .Values.redis.tls -}}
{{- if and $t.enabled $t.existingSecret -}}
{{- if ne (empty $t.certKey) (empty $t.keyKey) -}}
{{- fail "redis.tls.certKey and redis.tls.keyKey go together: set both (client certificate) or neither" -}}
{{- end -}}
{{- with $t.caKey }}{{ . }}:ca.crt{{ "\n" }}{{ end -}}
{{- with $t.certKey }}{{ . }}:tls.crt{{ "\n" }}{{ end -}}
{{- with $t.keyKey }}{{ . }}:tls.key{{ "\n" }}{{ end -}}
{{- end -}}
{{- end -}}

{{/* Checks across redis.* values; renders nothing. */}}
{{- define "cerniq-exporter.redisValidate" -}}
{{- $r := .Values.redis -}}
{{- if not (has $r.mode (list "standalone" "sentinel" "cluster")) -}}
{{- fail (printf "redis.mode %q: one of standalone, sentinel, cluster" $r.mode) -}}
{{- end -}}
{{- if eq $r.mode "sentinel" -}}
{{- if not $r.sentinel.addresses }}{{ fail "redis.sentinel.addresses is required when redis.mode is sentinel" }}{{ end -}}
{{- if not $r.sentinel.masterName }}{{ fail "redis.sentinel.masterName is required when redis.mode is sentinel" }}{{ end -}}
{{- if .Values.config.existingConfigMap }}{{ fail "redis.mode sentinel writes redis.sentinel into the chart's config: with config.existingConfigMap put redis.sentinel in that config yourself" }}{{ end -}}
{{- else -}}
{{- $url := required "redis.url is required" $r.url -}}
{{- if and $r.tls.enabled (not (hasPrefix "rediss://" $url)) -}}
{{- fail (printf "redis.tls.enabled needs a rediss:// redis.url (got %q)" $url) -}}
{{- end -}}
{{- if and (hasPrefix "rediss://" $url) (not $r.tls.enabled) -}}
{{- fail "redis.url is rediss://: set redis.tls.enabled=true" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Exporter flags for Redis (cluster, TLS files, server name), one per line. */}}
{{- define "cerniq-exporter.redisArgs" -}}
{{- $t := .Values.redis.tls -}}
{{- $dir := include "cerniq-exporter.redisTlsDir" . -}}
{{- if eq .Values.redis.mode "cluster" }}
- --redis.cluster
{{- end -}}
{{- if $t.enabled -}}
{{- range splitList "\n" (include "cerniq-exporter.redisTlsFiles" . | trim) -}}
{{- with . }}
{{- $file := (splitList ":" .) | last }}
- --redis.tls.{{ get (dict "ca.crt" "ca-file" "tls.crt" "cert-file" "tls.key" "key-file") $file }}={{ $dir }}/{{ $file }}
{{- end -}}
{{- end -}}
{{- with $t.serverName }}
- --redis.tls.server-name={{ . }}
{{- end -}}
{{- if $t.insecureSkipVerify }}
- --redis.tls.insecure-skip-verify
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The exporter config: config.file with redis.sentinel filled in for mode sentinel (and its
tls with redis.tls.enabled: Sentinels and master over TLS). */}}
{{- define "cerniq-exporter.configFile" -}}
{{- $file := deepCopy (.Values.config.file | default dict) -}}
{{- if eq .Values.redis.mode "sentinel" -}}
{{- $s := .Values.redis.sentinel -}}
{{- $sentinel := dict "addresses" $s.addresses "master" $s.masterName "db" (int $s.db) -}}
{{- if .Values.redis.tls.enabled -}}
{{- $_ := set $sentinel "tls" true -}}
{{- end -}}
{{- if include "cerniq-exporter.sentinelPasswordRef" . -}}
{{- $_ := set $sentinel "password_file" (printf "%s/sentinel-password" (include "cerniq-exporter.secretsDir" .)) -}}
{{- end -}}
{{- $redis := get $file "redis" | default dict -}}
{{- $_ := set $redis "sentinel" $sentinel -}}
{{- $_ := set $file "redis" $redis -}}
{{- end -}}
{{- toYaml $file -}}
{{- end -}}
