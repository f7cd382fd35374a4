#!/bin/sh
# Runs once, when the PostgreSQL container initialises an empty data volume (docker-entrypoint-initdb.d).
# Creates the role Aegis connects as: it owns the application database (so it can apply migrations) but is not a
# superuser, cannot create roles or databases, and reaches no other database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$AEGIS_DB_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE aegis_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
ALTER DATABASE :"db" OWNER TO aegis_app;
REVOKE ALL ON DATABASE postgres FROM PUBLIC;
SQL
