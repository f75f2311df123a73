CREATE TABLE "bank_deposits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"cash_cents" bigint NOT NULL,
	"checks_cents" bigint NOT NULL,
	"cash_denominations" jsonb,
	"checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deposited_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"journal_entry_id" uuid,
	"by_user_id" uuid,
	"by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_deposits_amount_check" CHECK ("bank_deposits"."cash_cents" >= 0 and "bank_deposits"."checks_cents" >= 0 and "bank_deposits"."cash_cents" + "bank_deposits"."checks_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "gift_card_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gift_card_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"balance_after_cents" bigint NOT NULL,
	"sale_id" uuid,
	"memo" text DEFAULT '' NOT NULL,
	"by_user_id" uuid,
	"by_label" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_card_entries_kind_check" CHECK ("gift_card_entries"."kind" in ('issue', 'reload', 'redeem', 'refund', 'void')),
	CONSTRAINT "gift_card_entries_amount_check" CHECK ("gift_card_entries"."amount_cents" <> 0 and "gift_card_entries"."balance_after_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "gift_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"expires_on" date,
	"account_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_cards_status_check" CHECK ("gift_cards"."status" in ('active', 'void')),
	CONSTRAINT "gift_cards_number_check" CHECK ("gift_cards"."number" ~ '^[0-9A-Z-]{6,30}$')
);
--> statement-breakpoint
CREATE TABLE "invoice_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"sale_id" uuid,
	"amount_cents" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_allocations_amount_check" CHECK ("invoice_allocations"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"account_id" uuid NOT NULL,
	"source_type" text NOT NULL,
	"source_id" uuid,
	"issued_on" date NOT NULL,
	"due_on" date NOT NULL,
	"total_cents" bigint NOT NULL,
	"balance_cents" bigint NOT NULL,
	"memo" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_balance_check" CHECK ("invoices"."total_cents" > 0 and "invoices"."balance_cents" between 0 and "invoices"."total_cents")
);
--> statement-breakpoint
CREATE TABLE "layaways" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"account_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"lines" jsonb NOT NULL,
	"net_cents" bigint NOT NULL,
	"tax_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"paid_cents" bigint DEFAULT 0 NOT NULL,
	"due_on" date,
	"pickup_sale_id" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "layaways_status_check" CHECK ("layaways"."status" in ('open', 'picked_up', 'cancelled')),
	CONSTRAINT "layaways_paid_check" CHECK ("layaways"."paid_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "named_discounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"percent_millipercent" integer,
	"amount_cents" bigint,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "named_discounts_kind_check" CHECK (("named_discounts"."kind" = 'percent' and "named_discounts"."percent_millipercent" between 1 and 100000 and "named_discounts"."amount_cents" is null) or ("named_discounts"."kind" = 'amount' and "named_discounts"."amount_cents" > 0 and "named_discounts"."percent_millipercent" is null))
);
--> statement-breakpoint
CREATE TABLE "sale_discounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sale_id" uuid NOT NULL,
	"sale_line_id" uuid,
	"named_discount_id" uuid,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"percent_millipercent" integer,
	"amount_cents" bigint NOT NULL,
	"applied_by_user_id" uuid,
	"applied_by_label" text NOT NULL,
	"approved_by_user_id" uuid,
	"approved_by_label" text,
	"approval_reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "sale_discounts_kind_check" CHECK ("sale_discounts"."kind" in ('percent', 'amount', 'price_override'))
);
--> statement-breakpoint
CREATE TABLE "sale_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"register_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"account_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"checkout_key" text,
	"created_by_user_id" uuid,
	"created_by_label" text NOT NULL,
	"parked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sale_drafts_status_check" CHECK ("sale_drafts"."status" in ('active', 'parked'))
);
--> statement-breakpoint
CREATE TABLE "sale_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sale_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"kind" text DEFAULT 'item' NOT NULL,
	"product_id" uuid,
	"unit_id" uuid,
	"description" text NOT NULL,
	"sku" text DEFAULT '' NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	"gross_cents" bigint NOT NULL,
	"line_discount_cents" bigint DEFAULT 0 NOT NULL,
	"order_discount_cents" bigint DEFAULT 0 NOT NULL,
	"net_cents" bigint NOT NULL,
	"tax_cents" bigint DEFAULT 0 NOT NULL,
	"tax_class_id" uuid,
	"cost_cents" bigint,
	"original_line_id" uuid,
	"restock" boolean,
	"ref_type" text,
	"ref_id" uuid,
	CONSTRAINT "sale_lines_kind_check" CHECK ("sale_lines"."kind" in ('item', 'gift_card', 'account_payment', 'layaway_payment', 'special_order_deposit')),
	CONSTRAINT "sale_lines_quantity_check" CHECK ("sale_lines"."quantity" >= 1),
	CONSTRAINT "sale_lines_money_check" CHECK ("sale_lines"."net_cents" = "sale_lines"."gross_cents" - "sale_lines"."line_discount_cents" - "sale_lines"."order_discount_cents")
);
--> statement-breakpoint
CREATE TABLE "sale_taxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sale_id" uuid NOT NULL,
	"tax_class_id" uuid,
	"class_name" text NOT NULL,
	"component_code" text NOT NULL,
	"component_name" text NOT NULL,
	"rate_millipercent" integer NOT NULL,
	"net_cents" bigint NOT NULL,
	"tax_cents" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sale_tenders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sale_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"method" text NOT NULL,
	"tendered_cents" bigint NOT NULL,
	"amount_cents" bigint NOT NULL,
	"change_cents" bigint DEFAULT 0 NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"last4" text,
	"auth_code" text,
	"gift_card_id" uuid,
	"invoice_id" uuid,
	"original_tender_id" uuid,
	CONSTRAINT "sale_tenders_method_check" CHECK ("sale_tenders"."method" in ('cash', 'check', 'card', 'external_card', 'store_credit', 'gift_card', 'account', 'deposit')),
	CONSTRAINT "sale_tenders_amount_check" CHECK ("sale_tenders"."amount_cents" <> 0 and "sale_tenders"."change_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'completed' NOT NULL,
	"original_sale_id" uuid,
	"register_id" uuid,
	"register_session_id" uuid,
	"account_id" uuid,
	"business_date" date NOT NULL,
	"gross_cents" bigint NOT NULL,
	"discount_cents" bigint DEFAULT 0 NOT NULL,
	"net_cents" bigint NOT NULL,
	"tax_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"change_cents" bigint DEFAULT 0 NOT NULL,
	"rounding_cents" bigint DEFAULT 0 NOT NULL,
	"tax_exempt_certificate" text,
	"approved_by_user_id" uuid,
	"approved_by_label" text,
	"note" text DEFAULT '' NOT NULL,
	"journal_entry_id" uuid,
	"voided_at" timestamp with time zone,
	"voided_by_user_id" uuid,
	"voided_by_label" text,
	"void_reason" text,
	"void_entry_id" uuid,
	"cashier_user_id" uuid,
	"cashier_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_kind_check" CHECK ("sales"."kind" in ('sale', 'return', 'payment')),
	CONSTRAINT "sales_status_check" CHECK ("sales"."status" in ('completed', 'voided')),
	CONSTRAINT "sales_void_check" CHECK (("sales"."status" = 'voided') = ("sales"."voided_at" is not null)),
	CONSTRAINT "sales_totals_check" CHECK ("sales"."net_cents" = "sales"."gross_cents" - "sales"."discount_cents" and "sales"."total_cents" = "sales"."net_cents" + "sales"."tax_cents"),
	CONSTRAINT "sales_note_check" CHECK (length("sales"."note") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "special_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"account_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	"deposit_cents" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"purchase_order_line_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"received_at" timestamp with time zone,
	"completed_sale_id" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "special_orders_status_check" CHECK ("special_orders"."status" in ('open', 'ordered', 'received', 'completed', 'cancelled')),
	CONSTRAINT "special_orders_qty_check" CHECK ("special_orders"."quantity" >= 1 and "special_orders"."unit_price_cents" >= 0 and "special_orders"."deposit_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "store_credit_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"balance_after_cents" bigint NOT NULL,
	"sale_id" uuid,
	"source_type" text,
	"source_id" uuid,
	"memo" text DEFAULT '' NOT NULL,
	"by_user_id" uuid,
	"by_label" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_credit_entries_kind_check" CHECK ("store_credit_entries"."kind" in ('return', 'trade_in', 'overpayment', 'rental_exchange', 'redeem', 'refund', 'void', 'layaway_cancel')),
	CONSTRAINT "store_credit_entries_amount_check" CHECK ("store_credit_entries"."amount_cents" <> 0 and "store_credit_entries"."balance_after_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "trade_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"account_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"unit_id" uuid,
	"serial_number" text NOT NULL,
	"condition" text NOT NULL,
	"value_cents" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"journal_entry_id" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trade_ins_value_check" CHECK ("trade_ins"."value_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "trials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"account_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"status" text DEFAULT 'out' NOT NULL,
	"out_on" date NOT NULL,
	"due_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"sale_id" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "trials_status_check" CHECK ("trials"."status" in ('out', 'returned', 'converted'))
);
--> statement-breakpoint
ALTER TABLE "store_settings" ADD COLUMN "return_window_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_settings" ADD COLUMN "cash_rounding_cents" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_settings" ADD COLUMN "return_policy" text DEFAULT 'Returns within 30 days with receipt.' NOT NULL;--> statement-breakpoint
ALTER TABLE "store_settings" ADD COLUMN "auto_print_receipt" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "discount_limit_millipercent" integer DEFAULT 10000 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "pin_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_deposits" ADD CONSTRAINT "bank_deposits_journal_entry_id_journal_entries_id_fk" FOREIGN KEY ("journal_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_deposits" ADD CONSTRAINT "bank_deposits_by_user_id_staff_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_card_entries" ADD CONSTRAINT "gift_card_entries_gift_card_id_gift_cards_id_fk" FOREIGN KEY ("gift_card_id") REFERENCES "public"."gift_cards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_card_entries" ADD CONSTRAINT "gift_card_entries_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_card_entries" ADD CONSTRAINT "gift_card_entries_by_user_id_staff_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_cards" ADD CONSTRAINT "gift_cards_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_allocations" ADD CONSTRAINT "invoice_allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_allocations" ADD CONSTRAINT "invoice_allocations_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "layaways" ADD CONSTRAINT "layaways_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "layaways" ADD CONSTRAINT "layaways_pickup_sale_id_sales_id_fk" FOREIGN KEY ("pickup_sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_discounts" ADD CONSTRAINT "sale_discounts_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_discounts" ADD CONSTRAINT "sale_discounts_sale_line_id_sale_lines_id_fk" FOREIGN KEY ("sale_line_id") REFERENCES "public"."sale_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_discounts" ADD CONSTRAINT "sale_discounts_named_discount_id_named_discounts_id_fk" FOREIGN KEY ("named_discount_id") REFERENCES "public"."named_discounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_discounts" ADD CONSTRAINT "sale_discounts_applied_by_user_id_staff_users_id_fk" FOREIGN KEY ("applied_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_discounts" ADD CONSTRAINT "sale_discounts_approved_by_user_id_staff_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_drafts" ADD CONSTRAINT "sale_drafts_register_id_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_drafts" ADD CONSTRAINT "sale_drafts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_drafts" ADD CONSTRAINT "sale_drafts_created_by_user_id_staff_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_lines" ADD CONSTRAINT "sale_lines_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_lines" ADD CONSTRAINT "sale_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_lines" ADD CONSTRAINT "sale_lines_unit_id_inventory_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."inventory_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_lines" ADD CONSTRAINT "sale_lines_tax_class_id_tax_classes_id_fk" FOREIGN KEY ("tax_class_id") REFERENCES "public"."tax_classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_lines" ADD CONSTRAINT "sale_lines_original_line_id_sale_lines_id_fk" FOREIGN KEY ("original_line_id") REFERENCES "public"."sale_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_taxes" ADD CONSTRAINT "sale_taxes_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_taxes" ADD CONSTRAINT "sale_taxes_tax_class_id_tax_classes_id_fk" FOREIGN KEY ("tax_class_id") REFERENCES "public"."tax_classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_tenders" ADD CONSTRAINT "sale_tenders_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_tenders" ADD CONSTRAINT "sale_tenders_original_tender_id_sale_tenders_id_fk" FOREIGN KEY ("original_tender_id") REFERENCES "public"."sale_tenders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_original_sale_id_sales_id_fk" FOREIGN KEY ("original_sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_register_id_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_register_session_id_drawer_sessions_id_fk" FOREIGN KEY ("register_session_id") REFERENCES "public"."drawer_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_approved_by_user_id_staff_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_journal_entry_id_journal_entries_id_fk" FOREIGN KEY ("journal_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_voided_by_user_id_staff_users_id_fk" FOREIGN KEY ("voided_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_void_entry_id_journal_entries_id_fk" FOREIGN KEY ("void_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_cashier_user_id_staff_users_id_fk" FOREIGN KEY ("cashier_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_orders" ADD CONSTRAINT "special_orders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_orders" ADD CONSTRAINT "special_orders_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_orders" ADD CONSTRAINT "special_orders_purchase_order_line_id_purchase_order_lines_id_fk" FOREIGN KEY ("purchase_order_line_id") REFERENCES "public"."purchase_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_orders" ADD CONSTRAINT "special_orders_completed_sale_id_sales_id_fk" FOREIGN KEY ("completed_sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_credit_entries" ADD CONSTRAINT "store_credit_entries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_credit_entries" ADD CONSTRAINT "store_credit_entries_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_credit_entries" ADD CONSTRAINT "store_credit_entries_by_user_id_staff_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trade_ins" ADD CONSTRAINT "trade_ins_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trade_ins" ADD CONSTRAINT "trade_ins_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trade_ins" ADD CONSTRAINT "trade_ins_unit_id_inventory_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."inventory_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trade_ins" ADD CONSTRAINT "trade_ins_journal_entry_id_journal_entries_id_fk" FOREIGN KEY ("journal_entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trials" ADD CONSTRAINT "trials_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trials" ADD CONSTRAINT "trials_unit_id_inventory_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."inventory_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trials" ADD CONSTRAINT "trials_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_deposits_number_key" ON "bank_deposits" USING btree ("number");--> statement-breakpoint
CREATE INDEX "gift_card_entries_card_idx" ON "gift_card_entries" USING btree ("gift_card_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "gift_cards_number_key" ON "gift_cards" USING btree ("number");--> statement-breakpoint
CREATE INDEX "invoice_allocations_invoice_idx" ON "invoice_allocations" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_allocations_sale_idx" ON "invoice_allocations" USING btree ("sale_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE INDEX "invoices_account_open_idx" ON "invoices" USING btree ("account_id","issued_on") WHERE "invoices"."balance_cents" <> 0;--> statement-breakpoint
CREATE UNIQUE INDEX "layaways_number_key" ON "layaways" USING btree ("number");--> statement-breakpoint
CREATE INDEX "layaways_account_idx" ON "layaways" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "named_discounts_name_lower_key" ON "named_discounts" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "sale_discounts_sale_idx" ON "sale_discounts" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "sale_drafts_status_idx" ON "sale_drafts" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sale_lines_sale_line_key" ON "sale_lines" USING btree ("sale_id","line_no");--> statement-breakpoint
CREATE INDEX "sale_lines_product_idx" ON "sale_lines" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "sale_lines_unit_idx" ON "sale_lines" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "sale_lines_original_idx" ON "sale_lines" USING btree ("original_line_id");--> statement-breakpoint
CREATE INDEX "sale_taxes_sale_idx" ON "sale_taxes" USING btree ("sale_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sale_tenders_sale_seq_key" ON "sale_tenders" USING btree ("sale_id","seq");--> statement-breakpoint
CREATE INDEX "sale_tenders_original_idx" ON "sale_tenders" USING btree ("original_tender_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_number_key" ON "sales" USING btree ("number");--> statement-breakpoint
CREATE INDEX "sales_business_date_idx" ON "sales" USING btree ("business_date");--> statement-breakpoint
CREATE INDEX "sales_account_idx" ON "sales" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "sales_session_idx" ON "sales" USING btree ("register_session_id");--> statement-breakpoint
CREATE INDEX "sales_original_idx" ON "sales" USING btree ("original_sale_id");--> statement-breakpoint
CREATE UNIQUE INDEX "special_orders_number_key" ON "special_orders" USING btree ("number");--> statement-breakpoint
CREATE INDEX "special_orders_account_idx" ON "special_orders" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "store_credit_entries_account_idx" ON "store_credit_entries" USING btree ("account_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "trade_ins_number_key" ON "trade_ins" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "trials_number_key" ON "trials" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "trials_one_out_per_unit" ON "trials" USING btree ("unit_id") WHERE "trials"."status" = 'out';--> statement-breakpoint
ALTER TABLE "store_settings" ADD CONSTRAINT "store_settings_return_window" CHECK ("store_settings"."return_window_days" between 0 and 3650);--> statement-breakpoint
ALTER TABLE "store_settings" ADD CONSTRAINT "store_settings_cash_rounding" CHECK ("store_settings"."cash_rounding_cents" in (1, 5, 10, 25, 50, 100));