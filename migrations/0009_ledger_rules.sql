-- Ledger rules (accounting-reports.md "The journal"): the database itself refuses an unbalanced entry and any
-- change to a posted one; corrections are reversing entries. Also seeds the chart of accounts, values the stock
-- on hand and posts the inventory that existed before the journal as an opening entry.

-- Balance: checked at COMMIT (deferred), once per touched entry, so the lines of an entry can be inserted one by
-- one. An entry needs at least two lines and equal debit and credit totals; otherwise the transaction fails.
CREATE FUNCTION forte_check_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_entry uuid;
  v_lines integer;
  v_debits bigint;
  v_credits bigint;
BEGIN
  -- NEW has different columns per table; plpgsql resolves a field only on the branch that runs.
  IF TG_TABLE_NAME = 'journal_entries' THEN
    v_entry := NEW.id;
  ELSE
    v_entry := NEW.entry_id;
  END IF;
  SELECT count(*), coalesce(sum(debit_cents), 0), coalesce(sum(credit_cents), 0)
    INTO v_lines, v_debits, v_credits
    FROM journal_lines WHERE entry_id = v_entry;
  IF v_lines < 2 THEN
    RAISE EXCEPTION 'journal entry % has % line(s); an entry needs at least two', v_entry, v_lines USING ERRCODE = 'check_violation';
  END IF;
  IF v_debits <> v_credits THEN
    RAISE EXCEPTION 'journal entry % is unbalanced: debits % <> credits %', v_entry, v_debits, v_credits USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forte_check_journal_entry_balanced();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forte_check_journal_entry_balanced();
--> statement-breakpoint
-- Gap-free numbers, given at COMMIT: an entry is inserted as 'pending:<uuid>' and this deferred trigger gives it
-- the next JE- number. Taking the number (and its series row lock) last means a posting transaction holds that
-- lock only while it commits: posting transactions don't queue behind each other for their whole length, and no
-- lock cycle can form through it (every other lock was taken before). A rolled-back transaction never reaches
-- here, so it uses no number. Entries inserted with a real number (the opening entry below) are left alone.
CREATE FUNCTION forte_number_journal_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_no bigint;
BEGIN
  IF NEW.number NOT LIKE 'pending:%' THEN
    RETURN NULL;
  END IF;
  INSERT INTO number_series (series, next_value) VALUES ('journal_entry', 2)
    ON CONFLICT (series) DO UPDATE SET next_value = number_series.next_value + 1
    RETURNING next_value - 1 INTO v_no;
  PERFORM set_config('forte.numbering_journal_entry', NEW.id::text, true);
  UPDATE journal_entries SET number = 'JE-' || CASE WHEN length(v_no::text) >= 6 THEN v_no::text ELSE lpad(v_no::text, 6, '0') END
    WHERE id = NEW.id;
  PERFORM set_config('forte.numbering_journal_entry', '', true);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_entries_number AFTER INSERT ON journal_entries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forte_number_journal_entry();
--> statement-breakpoint
-- Immutability: posted rows are never changed or removed. The one exception is the numbering above: only the
-- number, only from 'pending:…', only while that trigger says it is numbering this very entry.
CREATE FUNCTION forte_guard_journal_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND coalesce(current_setting('forte.numbering_journal_entry', true), '') = OLD.id::text
     AND OLD.number LIKE 'pending:%' AND NEW.number LIKE 'JE-%'
     AND (to_jsonb(NEW) - 'number') = (to_jsonb(OLD) - 'number') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% rows are append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries FOR EACH ROW EXECUTE FUNCTION forte_guard_journal_entry();
--> statement-breakpoint
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
-- TRUNCATE skips row triggers, so it is refused too, unless a maintenance transaction (a restore, the test suite's
-- reset) says so explicitly with SET LOCAL forte.allow_journal_truncate = 'on'.
CREATE FUNCTION forte_refuse_journal_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('forte.allow_journal_truncate', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% rows are append-only (TRUNCATE refused)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries FOR EACH STATEMENT EXECUTE FUNCTION forte_refuse_journal_truncate();
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines FOR EACH STATEMENT EXECUTE FUNCTION forte_refuse_journal_truncate();
--> statement-breakpoint
-- The posting rules find accounts by system key; a system account keeps its key, type and side forever
-- (names and codes are the store's to edit).
CREATE FUNCTION forte_protect_system_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.system_key IS NOT NULL AND (NEW.system_key IS DISTINCT FROM OLD.system_key OR NEW.type <> OLD.type OR NEW.normal_side <> OLD.normal_side) THEN
    RAISE EXCEPTION 'system account % keeps its system key, type and normal side', OLD.system_key USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_protect_system BEFORE UPDATE ON ledger_accounts FOR EACH ROW EXECUTE FUNCTION forte_protect_system_account();
--> statement-breakpoint
-- The chart of accounts (same list as SYSTEM_ACCOUNTS in src/features/ledger/chart.ts; a test compares them).
INSERT INTO ledger_accounts (code, name, type, normal_side, system_key) VALUES
  ('1000', 'Cash in drawers', 'asset', 'debit', 'cash_drawer'),
  ('1010', 'Safe / undeposited cash', 'asset', 'debit', 'safe_cash'),
  ('1020', 'Checks to deposit', 'asset', 'debit', 'checks_to_deposit'),
  ('1030', 'Card clearing - Stripe', 'asset', 'debit', 'card_clearing_stripe'),
  ('1031', 'Card clearing - Global Payments', 'asset', 'debit', 'card_clearing_globalpayments'),
  ('1039', 'Card clearing - external terminal', 'asset', 'debit', 'card_clearing_external'),
  ('1050', 'Bank - checking', 'asset', 'debit', 'bank'),
  ('1100', 'Accounts receivable', 'asset', 'debit', 'accounts_receivable'),
  ('1200', 'Inventory', 'asset', 'debit', 'inventory'),
  ('1210', 'Rental fleet', 'asset', 'debit', 'rental_fleet'),
  ('2000', 'Accounts payable', 'liability', 'credit', 'accounts_payable'),
  ('2100', 'Sales tax payable', 'liability', 'credit', 'sales_tax_payable'),
  ('2200', 'Customer deposits', 'liability', 'credit', 'customer_deposits'),
  ('2300', 'Gift card liability', 'liability', 'credit', 'gift_card_liability'),
  ('2310', 'Store credit liability', 'liability', 'credit', 'store_credit_liability'),
  ('2400', 'Rent-to-own equity held', 'liability', 'credit', 'rto_equity_held'),
  ('2500', 'Deferred lesson revenue', 'liability', 'credit', 'deferred_lesson_revenue'),
  ('3900', 'Opening balance equity', 'equity', 'credit', 'opening_balance_equity'),
  ('4000', 'Sales', 'revenue', 'credit', 'sales'),
  ('4100', 'Rental revenue', 'revenue', 'credit', 'rental_revenue'),
  ('4150', 'Coverage fee revenue', 'revenue', 'credit', 'coverage_fee_revenue'),
  ('4200', 'Lesson revenue', 'revenue', 'credit', 'lesson_revenue'),
  ('4300', 'Repair labor revenue', 'revenue', 'credit', 'repair_labor_revenue'),
  ('4310', 'Repair parts revenue', 'revenue', 'credit', 'repair_parts_revenue'),
  ('4400', 'Late fee income', 'revenue', 'credit', 'late_fee_income'),
  ('4900', 'Discounts', 'contra_revenue', 'debit', 'discounts'),
  ('4910', 'Returns', 'contra_revenue', 'debit', 'returns'),
  ('5000', 'Cost of goods sold', 'expense', 'debit', 'cogs'),
  ('5100', 'Repair parts cost', 'expense', 'debit', 'repair_parts_cost'),
  ('5200', 'Inventory shrink', 'expense', 'debit', 'inventory_shrink'),
  ('5300', 'Cash over/short', 'expense', 'debit', 'cash_over_short'),
  ('5400', 'Processing fees', 'expense', 'debit', 'processing_fees')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Stock value before the journal: what the moving average said (quantity × average cost).
UPDATE products SET stock_value_cents = quantity_on_hand::bigint * average_cost_cents WHERE kind = 'stock' AND quantity_on_hand <> 0;
--> statement-breakpoint
-- Opening entry for the inventory that existed before the journal, so the Inventory and Rental fleet accounts
-- equal stock value + the cost of the units the store holds from day one: Dr Inventory / Rental fleet,
-- Cr Opening balance equity. Units of rentable products (and rented units) are Rental fleet; sold, lost and
-- retired units are in neither account. Nothing is posted on a store without inventory.
DO $$
DECLARE
  v_inventory bigint;
  v_fleet bigint;
  v_total bigint;
  v_no bigint;
  v_entry uuid;
  v_line integer := 0;
BEGIN
  SELECT coalesce(sum(stock_value_cents), 0) INTO v_inventory FROM products WHERE kind = 'stock';
  SELECT v_inventory + coalesce(sum(u.cost_cents), 0) INTO v_inventory
    FROM inventory_units u JOIN products p ON p.id = u.product_id
    WHERE u.status NOT IN ('sold', 'lost', 'retired') AND NOT (u.status = 'rented' OR p.rentable);
  SELECT coalesce(sum(u.cost_cents), 0) INTO v_fleet
    FROM inventory_units u JOIN products p ON p.id = u.product_id
    WHERE u.status NOT IN ('sold', 'lost', 'retired') AND (u.status = 'rented' OR p.rentable);
  IF v_inventory = 0 AND v_fleet = 0 THEN
    RETURN;
  END IF;
  v_total := v_inventory + v_fleet;
  INSERT INTO number_series (series, next_value) VALUES ('journal_entry', 2)
    ON CONFLICT (series) DO UPDATE SET next_value = number_series.next_value + 1
    RETURNING next_value - 1 INTO v_no;
  INSERT INTO journal_entries (number, entry_date, event_type, source_type, memo)
    VALUES ('JE-' || CASE WHEN length(v_no::text) >= 6 THEN v_no::text ELSE lpad(v_no::text, 6, '0') END,
            (now() AT TIME ZONE coalesce((SELECT time_zone FROM store_settings WHERE id = 1), 'UTC'))::date,
            'opening_inventory', 'migration', 'Inventory on hand when the journal was introduced')
    RETURNING id INTO v_entry;
  IF v_inventory <> 0 THEN
    v_line := v_line + 1;
    INSERT INTO journal_lines (entry_id, line_no, account_id, debit_cents, credit_cents, memo)
      SELECT v_entry, v_line, id, greatest(v_inventory, 0), greatest(-v_inventory, 0), 'Stock value and units for sale'
      FROM ledger_accounts WHERE system_key = 'inventory';
  END IF;
  IF v_fleet <> 0 THEN
    v_line := v_line + 1;
    INSERT INTO journal_lines (entry_id, line_no, account_id, debit_cents, credit_cents, memo)
      SELECT v_entry, v_line, id, v_fleet, 0, 'Rental fleet units'
      FROM ledger_accounts WHERE system_key = 'rental_fleet';
  END IF;
  IF v_total <> 0 THEN
    v_line := v_line + 1;
    INSERT INTO journal_lines (entry_id, line_no, account_id, debit_cents, credit_cents, memo)
      SELECT v_entry, v_line, id, greatest(-v_total, 0), greatest(v_total, 0), 'Opening balance'
      FROM ledger_accounts WHERE system_key = 'opening_balance_equity';
  END IF;
END;
$$;
