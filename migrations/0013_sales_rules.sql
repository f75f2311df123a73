-- Counter documents (pos.md) are money records: never edited or removed. A sale changes only once, when a
-- manager voids it (status and the void columns); everything else about it is fixed at checkout. Returns,
-- voids and corrections are new rows. Same function as the journal's and the drawer movements' guards.
CREATE FUNCTION forte_sales_void_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  void_columns text[] := array['status', 'voided_at', 'voided_by_user_id', 'voided_by_label', 'void_reason', 'void_entry_id'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'sales are never deleted (void or return instead)' USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD.status <> 'completed' OR NEW.status <> 'voided' OR (to_jsonb(NEW) - void_columns) <> (to_jsonb(OLD) - void_columns) THEN
    RAISE EXCEPTION 'a completed sale can only be voided, not changed' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER sales_void_only BEFORE UPDATE OR DELETE ON sales FOR EACH ROW EXECUTE FUNCTION forte_sales_void_only();
--> statement-breakpoint
CREATE TRIGGER sale_lines_append_only BEFORE UPDATE OR DELETE ON sale_lines FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER sale_tenders_append_only BEFORE UPDATE OR DELETE ON sale_tenders FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER sale_taxes_append_only BEFORE UPDATE OR DELETE ON sale_taxes FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER sale_discounts_append_only BEFORE UPDATE OR DELETE ON sale_discounts FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER gift_card_entries_append_only BEFORE UPDATE OR DELETE ON gift_card_entries FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER store_credit_entries_append_only BEFORE UPDATE OR DELETE ON store_credit_entries FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER invoice_allocations_append_only BEFORE UPDATE OR DELETE ON invoice_allocations FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER bank_deposits_append_only BEFORE UPDATE OR DELETE ON bank_deposits FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
-- An invoice's total and account never change; only its open balance moves (kept equal to total − allocations).
CREATE FUNCTION forte_invoices_balance_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices are never deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF (to_jsonb(NEW) - 'balance_cents') <> (to_jsonb(OLD) - 'balance_cents') THEN
    RAISE EXCEPTION 'only an invoice''s open balance changes' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER invoices_balance_only BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION forte_invoices_balance_only();
--> statement-breakpoint
-- A checkout writes its ledger rows (gift card, store credit, invoice allocations, the layaway / special order /
-- trial it completes) before the sale row, whose journal entry id is known only after they are posted. These
-- references are checked at COMMIT instead, when the sale row exists.
ALTER TABLE gift_card_entries ALTER CONSTRAINT gift_card_entries_sale_id_sales_id_fk DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE store_credit_entries ALTER CONSTRAINT store_credit_entries_sale_id_sales_id_fk DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE invoice_allocations ALTER CONSTRAINT invoice_allocations_sale_id_sales_id_fk DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE layaways ALTER CONSTRAINT layaways_pickup_sale_id_sales_id_fk DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE special_orders ALTER CONSTRAINT special_orders_completed_sale_id_sales_id_fk DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE trials ALTER CONSTRAINT trials_sale_id_sales_id_fk DEFERRABLE INITIALLY DEFERRED;
