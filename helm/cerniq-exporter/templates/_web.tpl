{{/*
--web.config.file (exporter-toolkit's format: TLS, client certificates, basic auth), its Secret
and TLS mounts, and what follows from it for probes and scrapes. Values under webConfig.
*/}}

{{/* "true" when a web config is passed to the exporter. */}}
{{- define "cerniq-exporter.webConfigEnabled" -}}
{{- if or .Values.webConfig.content .Values.webConfig.existingSecret }}true{{ end -}}
{{- end -}}

{{- define "cerniq-exporter.webConfigSecretName" -}}
{{- .Values.webConfig.existingSecret | default (printf "%s-web-config" (include "cerniq-exporter.fullname" .)) -}}
{{- end -}}

{{- define "cerniq-exporter.webConfigKey" -}}
{{- if .Values.webConfig.existingSecret }}{{ .Values.webConfig.existingSecretKey }}{{ else }}web-config.yml{{ end -}}
{{- end -}}

{{- define "cerniq-exporter.webConfigDir" -}}/etc/cerniq-exporter/web{{- end -}}

{{/* "true" when the exporter serves HTTPS: webConfig.tls, else content has tls_server_config. */}}
{{- define "cerniq-exporter.webTls" -}}
{{- if include "cerniq-exporter.webConfigEnabled" . -}}
{{- if kindIs "bool" .Values.webConfig.tls -}}
{{- if .Values.webConfig.tls }}true{{ end -}}
{{- else if (.Values.webConfig.content | default dict).tls_server_config }}true{{ end -}}
{{- end -}}
{{- end -}}

{{/* "true" when basic auth is on: webConfig.basicAuth, else content has basic_auth_users. */}}
{{- define "cerniq-exporter.webBasicAuth" -}}
{{- if include "cerniq-exporter.webConfigEnabled" . -}}
{{- if kindIs "bool" .Values.webConfig.basicAuth -}}
{{- if .Values.webConfig.basicAuth }}true{{ end -}}
{{- else if (.Values.webConfig.content | default dict).basic_auth_users }}true{{ end -}}
{{- end -}}
{{- end -}}

{{/* A monitor's endpoint scheme: the one set, else https when the exporter serves TLS. */}}
{{- define "cerniq-exporter.scrapeScheme" -}}
{{- .scheme | default (ternary "https" "http" (eq (include "cerniq-exporter.webTls" .root) "true")) -}}
{{- end -}}

{{/*
A probe with the web config applied: HTTPS when the exporter serves TLS (kubelet does not verify
the certificate); with basic auth the readiness path /-/ready (behind auth, kubelet sends no
credentials) becomes /-/healthy, which like /health stays open. Args: probe, root.
*/}}
{{- define "cerniq-exporter.webProbe" -}}
{{- $probe := deepCopy .probe -}}
{{- with $probe.httpGet -}}
{{- if eq (include "cerniq-exporter.webTls" $.root) "true" }}{{ $_ := set . "scheme" "HTTPS" }}{{ end -}}
{{- if and (eq (include "cerniq-exporter.webBasicAuth" $.root) "true") (eq (toString .path) "/-/ready") }}{{ $_ := set . "path" "/-/healthy" }}{{ end -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}

{{/* The exporter's flag and mounts (deployment.yaml includes these). */}}
{{- define "cerniq-exporter.webArgs" -}}
{{- if include "cerniq-exporter.webConfigEnabled" . }}
- --web.config.file={{ include "cerniq-exporter.webConfigDir" . }}/{{ include "cerniq-exporter.webConfigKey" . }}
{{- end }}
{{- end -}}

{{- define "cerniq-exporter.webVolumeMounts" -}}
{{- if include "cerniq-exporter.webConfigEnabled" . }}
- name: web-config
  mountPath: {{ include "cerniq-exporter.webConfigDir" . }}
  readOnly: true
{{- end }}
{{- with .Values.webConfig.tlsSecret.name }}
- name: web-tls
  mountPath: {{ $.Values.webConfig.tlsSecret.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "cerniq-exporter.webVolumes" -}}
{{- if include "cerniq-exporter.webConfigEnabled" . }}
- name: web-config
  secret:
    secretName: {{ include "cerniq-exporter.webConfigSecretName" . }}
    defaultMode: 0440
    items:
      - key: {{ include "cerniq-exporter.webConfigKey" . }}
        path: {{ include "cerniq-exporter.webConfigKey" . }}
{{- end }}
{{- with .Values.webConfig.tlsSecret.name }}
- name: web-tls
  secret:
    secretName: {{ . }}
    defaultMode: 0440
{{- end }}
{{- end -}}
