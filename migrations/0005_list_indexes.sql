-- List pages (customers, members, products, units): every sortable column has a btree whose order is the
-- list's order (the sort key, then the list's tie-breakers), so `ORDER BY … LIMIT 25` reads the index in
-- order and stops after a page instead of sorting the table. The tiny is_active indexes let the exact
-- "n accounts" total be an Index Only Scan. (product_id, status) answers the per-product unit counts.
CREATE INDEX accounts_active_idx ON accounts (is_active);
--> statement-breakpoint
CREATE INDEX accounts_name_list_idx ON accounts (lower(name), id);
--> statement-breakpoint
CREATE INDEX accounts_type_list_idx ON accounts (type, id);
--> statement-breakpoint
CREATE INDEX accounts_created_list_idx ON accounts (created_at, id);
--> statement-breakpoint
CREATE INDEX accounts_updated_list_idx ON accounts (updated_at, id);
--> statement-breakpoint
CREATE INDEX members_active_idx ON members (is_active);
--> statement-breakpoint
CREATE INDEX members_last_name_list_idx ON members (lower(last_name), first_name, id);
--> statement-breakpoint
CREATE INDEX members_first_name_list_idx ON members (lower(first_name), first_name, id);
--> statement-breakpoint
CREATE INDEX members_birth_list_idx ON members (date_of_birth, first_name, id);
--> statement-breakpoint
CREATE INDEX members_created_list_idx ON members (created_at, first_name, id);
--> statement-breakpoint
CREATE INDEX products_active_idx ON products (is_active);
--> statement-breakpoint
CREATE INDEX products_name_list_idx ON products (lower(name), id);
--> statement-breakpoint
CREATE INDEX products_brand_list_idx ON products (lower(brand), id);
--> statement-breakpoint
CREATE INDEX products_kind_list_idx ON products (kind, id);
--> statement-breakpoint
CREATE INDEX products_price_list_idx ON products (price_cents, id);
--> statement-breakpoint
CREATE INDEX products_quantity_list_idx ON products (quantity_on_hand, id);
--> statement-breakpoint
CREATE INDEX products_created_list_idx ON products (created_at, id);
--> statement-breakpoint
CREATE INDEX inventory_units_product_status_idx ON inventory_units (product_id, status);
--> statement-breakpoint
CREATE INDEX inventory_units_serial_list_idx ON inventory_units (lower(serial_number), id);
--> statement-breakpoint
CREATE INDEX inventory_units_status_list_idx ON inventory_units (status, id);
--> statement-breakpoint
CREATE INDEX inventory_units_condition_list_idx ON inventory_units (condition, id);
--> statement-breakpoint
CREATE INDEX inventory_units_acquired_list_idx ON inventory_units (acquired_on, id);
--> statement-breakpoint
CREATE INDEX inventory_units_created_list_idx ON inventory_units (created_at, id);
