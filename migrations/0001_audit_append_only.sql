-- The audit log is evidence: rows may be added, never changed or removed by the application.
CREATE FUNCTION forte_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX staff_users_search_trgm_idx ON staff_users USING gin ((lower(username || ' ' || name || ' ' || coalesce(email, ''))) gin_trgm_ops);
