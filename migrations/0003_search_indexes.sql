-- Search (customers-inventory.md "Search rules"): 1–2 characters use prefix matches on these btree
-- indexes (text_pattern_ops so LIKE 'ab%' can use them whatever the collation); 3+ characters use
-- trigram substring matches on the GIN indexes. Exact number/serial/SKU matches rank first.
CREATE INDEX accounts_name_prefix_idx ON accounts (lower(name) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX accounts_number_prefix_idx ON accounts (number text_pattern_ops);
--> statement-breakpoint
CREATE INDEX accounts_phone_digits_prefix_idx ON accounts (phone_digits text_pattern_ops);
--> statement-breakpoint
CREATE INDEX accounts_name_trgm_idx ON accounts USING gin (lower(name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX accounts_email_trgm_idx ON accounts USING gin (lower(email) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX accounts_phone_digits_trgm_idx ON accounts USING gin (phone_digits gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX members_last_name_prefix_idx ON members (lower(last_name) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX members_first_name_prefix_idx ON members (lower(first_name) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX members_number_prefix_idx ON members (number text_pattern_ops);
--> statement-breakpoint
CREATE INDEX members_phone_digits_prefix_idx ON members (phone_digits text_pattern_ops);
--> statement-breakpoint
CREATE INDEX members_full_name_trgm_idx ON members USING gin (lower(first_name || ' ' || last_name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX members_email_trgm_idx ON members USING gin (lower(email) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX members_phone_digits_trgm_idx ON members USING gin (phone_digits gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX products_sku_prefix_idx ON products (lower(sku) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX products_upc_prefix_idx ON products (upc text_pattern_ops);
--> statement-breakpoint
CREATE INDEX products_name_prefix_idx ON products (lower(name) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX products_text_trgm_idx ON products USING gin (lower(name || ' ' || brand || ' ' || model) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX products_sku_trgm_idx ON products USING gin (lower(sku) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX inventory_units_serial_prefix_idx ON inventory_units (lower(serial_number) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX inventory_units_serial_trgm_idx ON inventory_units USING gin (lower(serial_number) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX inventory_units_product_idx ON inventory_units (product_id);
--> statement-breakpoint
-- The passport and the stock ledger are history: rows are added, never changed or removed.
CREATE TRIGGER unit_events_append_only BEFORE UPDATE OR DELETE ON unit_events FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements FOR EACH ROW EXECUTE FUNCTION forte_refuse_change();
