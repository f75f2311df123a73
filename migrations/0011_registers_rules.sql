-- Registers and drawer sessions (pos.md "Registers and the cash drawer"): rules the database keeps itself, the
-- first register of stores set up before registers had sessions, and the chart account paid-outs post to.

-- Drawer movements are the session's cash record: never changed or removed (a mistake is corrected by the
-- opposite movement), like the audit log, unit events and stock movements.
CREATE TRIGGER drawer_movements_append_only BEFORE UPDATE OR DELETE ON drawer_movements FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
-- Stores already set up get their "Register 1" (setup creates it for new stores).
INSERT INTO registers (name)
  SELECT 'Register 1'
  WHERE NOT EXISTS (SELECT 1 FROM registers)
    AND EXISTS (SELECT 1 FROM store_settings WHERE setup_completed_at IS NOT NULL);
--> statement-breakpoint
-- Chart addition (same as SYSTEM_ACCOUNTS in src/features/ledger/chart.ts; a test compares them).
INSERT INTO ledger_accounts (code, name, type, normal_side, system_key) VALUES
  ('5500', 'Paid-outs / petty cash expense', 'expense', 'debit', 'paid_outs')
ON CONFLICT DO NOTHING;
