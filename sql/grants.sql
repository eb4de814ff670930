-- The role cerniq_exporter logs in as: a plain login role that can read the tables the default
-- queries use, plus pg_monitor (pg_stat_activity's query text and durations of other roles'
-- sessions, for the spatial-query gauges). It owns nothing and can write nothing; the
-- exporter's sessions are read-only on top of that (default_transaction_read_only=on).
--
--   psql -d cerniq -v exporter_password="'...'" -f sql/grants.sql
-- Without exporter_password the role is created without a password (use peer/cert auth, or set
-- one later with \password cerniq_exporter). Point the exporter at it with
-- CERNIQ_POSTGRES_DSN="host=... dbname=cerniq user=cerniq_exporter" and
-- CERNIQ_POSTGRES_PASSWORD_FILE.
\set ON_ERROR_STOP on

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cerniq_exporter') AS create_role
\gset
\if :create_role
  CREATE ROLE cerniq_exporter LOGIN;
\endif
-- INHERIT: pg_monitor's privileges are only useful when inherited.
ALTER ROLE cerniq_exporter NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT;
\if :{?exporter_password}
  ALTER ROLE cerniq_exporter PASSWORD :exporter_password;
\endif
-- Belt and braces: even a session that forgets the option starts read-only.
ALTER ROLE cerniq_exporter SET default_transaction_read_only = on;

GRANT pg_monitor TO cerniq_exporter;
GRANT CONNECT ON DATABASE :"DBNAME" TO cerniq_exporter;
GRANT USAGE ON SCHEMA public TO cerniq_exporter;
GRANT SELECT ON
  gold_nurturing_state,
  approval_tasks,
  approval_tasks_archive,
  cron_job_status,
  worker_errors,
  gold_referrals,
  gold_nps_responses,
  graph_build_runs
TO cerniq_exporter;
-- The partition gauge reads only the catalogue (pg_inherits, pg_class): no grant on
-- gold_nurturing_actions_partitioned is needed.
